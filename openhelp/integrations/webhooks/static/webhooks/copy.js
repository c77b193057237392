// The "Copy" button next to a secret shown once: copies the field's value and says so.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.querySelector("[data-copy-status]");
  field.select();
  navigator.clipboard.writeText(field.value).then(
    () => { if (status) status.textContent = "Copied."; },
    () => { if (status) status.textContent = "Select the text and copy it by hand."; },
  );
});
