import pytest

from tests.factories_provisioning import ScimClient, make_scim_token


@pytest.fixture
def scim_token(db):
    return make_scim_token()


@pytest.fixture
def scim(scim_token):
    return ScimClient(scim_token[1])
