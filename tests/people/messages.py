"""The exact messages a person sees, asserted identically on the web pages and in the API."""

UNKNOWN_TIMEZONE = "“Mars/Olympus” is not a known time zone. Use an IANA name such as Europe/Berlin."
JAVASCRIPT_LINK = "Meeting links must use https://; “javascript:” links are not allowed."
HTTP_LINK = "Meeting links must use https://; “http:” links are not allowed."
BIO_TOO_LONG = "Your bio is 4001 characters long; keep it to 4000 characters or fewer."
BAD_COLOUR = "Use a colour written as # and six hex digits, e.g. #1a7f5a."
LEVEL = "Choose a level from 1 (can point you to resources) to 5 (recognised expert)."
DUPLICATE_KUBERNETES = "You already listed “Kubernetes”; each skill can appear only once."
UNKNOWN_SKILL = "We don't know the skill “Klingon” yet. Check the spelling or propose it."
PAUSE_IN_PAST = "Choose a date after today; you are back automatically on that day."
HOURS_REVERSED = "Working hours must end after they start."
NO_SUCH_LANGUAGE = "Select a valid choice. {} is not one of the available choices."
OPEN_WITHOUT_SKILLS = (
    "Add at least one skill below: asks reach people through the skills they list. "
    "Not ready yet? Untick this box for now."
)
