"""PATCH operations on a resource's JSON (RFC 7644 §3.5.2), as Okta and Entra ID send them."""

from __future__ import annotations

import pytest

from openhelp.organisers.provisioning.patch import apply_patch
from openhelp.organisers.provisioning.scim import ScimError

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def user() -> dict:
    return {
        "userName": "ada@example.org",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "active": True,
        "emails": [{"value": "ada@example.org", "type": "work", "primary": True}],
        ENTERPRISE: {"department": "Data"},
    }


def patch(document: dict, *operations: dict) -> dict:
    return apply_patch(document, {"schemas": [PATCH], "Operations": list(operations)})


def test_replace_active_okta_style():
    assert patch(user(), {"op": "replace", "value": {"active": False}})["active"] is False


def test_entra_capitalised_op_with_a_string_boolean_is_kept_for_the_resource_to_read():
    assert patch(user(), {"op": "Replace", "path": "active", "value": "False"})["active"] == "False"


def test_attribute_names_are_case_insensitive_and_keep_the_existing_key():
    result = patch(user(), {"op": "replace", "path": "USERNAME", "value": "a@example.org"})
    assert result["userName"] == "a@example.org" and "USERNAME" not in result


def test_sub_attribute_paths_and_pathless_dotted_keys():
    result = patch(
        user(),
        {"op": "replace", "path": "name.familyName", "value": "King"},
        {"op": "add", "value": {"name.givenName": "Augusta"}},
    )
    assert result["name"] == {"givenName": "Augusta", "familyName": "King"}


def test_extension_attributes_by_full_urn_path_and_as_a_nested_object():
    by_path = patch(user(), {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Ops"})
    assert by_path[ENTERPRISE]["department"] == "Ops"
    nested = patch(user(), {"op": "add", "value": {ENTERPRISE: {"manager": {"value": "7"}}}})
    assert nested[ENTERPRISE] == {"department": "Data", "manager": {"value": "7"}}
    key = patch(user(), {"op": "replace", "value": {f"{ENTERPRISE}:department": "HR"}})
    assert key[ENTERPRISE]["department"] == "HR"
    removed = patch(user(), {"op": "remove", "path": f"{ENTERPRISE}:department"})
    assert removed[ENTERPRISE] == {}


def test_filtered_paths_replace_and_create_the_element_they_describe():
    result = patch(
        user(), {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@example.org"}
    )
    assert result["emails"][0]["value"] == "new@example.org"
    added = patch(
        {"emails": []}, {"op": "add", "path": 'emails[type eq "work"].value', "value": "x@example.org"}
    )
    assert added["emails"] == [{"type": "work", "value": "x@example.org"}]


def test_members_add_deduplicates_and_remove_by_filter_or_by_value_list():
    group = {"displayName": "Data", "members": [{"value": "1"}, {"value": "2"}]}
    added = patch(group, {"op": "add", "path": "members", "value": [{"value": "2"}, {"value": "3"}]})
    assert [m["value"] for m in added["members"]] == ["1", "2", "3"]
    okta = patch(added, {"op": "remove", "path": 'members[value eq "1"]'})
    assert [m["value"] for m in okta["members"]] == ["2", "3"]
    entra = patch(okta, {"op": "Remove", "path": "members", "value": [{"value": "3"}]})
    assert [m["value"] for m in entra["members"]] == ["2"]
    everyone = patch(entra, {"op": "remove", "path": "members"})
    assert "members" not in everyone


def test_replace_of_a_multi_valued_attribute_replaces_the_whole_list():
    group = {"displayName": "Data", "members": [{"value": "1"}]}
    assert patch(group, {"op": "replace", "path": "members", "value": [{"value": "9"}]})["members"] == [
        {"value": "9"}
    ]


def test_the_original_document_is_not_changed():
    document = user()
    patch(document, {"op": "replace", "path": "name.givenName", "value": "X"})
    assert document == user()


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({"schemas": ["urn:wrong"], "Operations": [{"op": "add", "value": {}}]}, "invalidSyntax"),
        ({"schemas": [PATCH], "Operations": []}, "invalidSyntax"),
        ({"schemas": [PATCH], "Operations": [{"op": "copy", "path": "title"}]}, "invalidSyntax"),
        ({"schemas": [PATCH], "Operations": [{"op": "remove"}]}, "noTarget"),
        ({"schemas": [PATCH], "Operations": [{"op": "add", "value": "x"}]}, "invalidValue"),
        (
            {"schemas": [PATCH], "Operations": [{"op": "add", "path": "urn:other:schema:x", "value": 1}]},
            "invalidPath",
        ),
        ({"schemas": [PATCH], "Operations": [{"op": "add", "path": "a..b", "value": 1}]}, "invalidPath"),
        (
            {
                "schemas": [PATCH],
                "Operations": [{"op": "replace", "path": 'emails[type sw "w"]', "value": {}}],
            },
            "noTarget",
        ),
    ],
)
def test_bad_operations_are_400_with_the_right_scim_type(body, scim_type):
    with pytest.raises(ScimError) as caught:
        apply_patch({"emails": []}, body)
    assert (caught.value.status, caught.value.scim_type) == (400, scim_type)
