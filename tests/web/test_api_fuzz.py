"""Hostile JSON values in every field of a device edit, on the API and the map's route.

Hypothesis draws JSON values of every kind (integers far beyond 64 bits, lone
surrogates, NaN-free floats of any size, nested lists and objects, long text)
and puts one into one field of an otherwise valid edit. The answer is never a
server error: a 400 names the field (or the body), anything else is a 2xx/409.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camwatch.registry.users import issue_token
from tests.web.conftest import login
from tests.web.test_api_concurrency import _camera, pg_ledger, race_app  # noqa: F401 (fixtures)
from web.api.schemas import DevicePatch
from web.db import new_session

FIELDS = sorted(set(DevicePatch().fields) - {"version"})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1),
    st.sampled_from(["1920x1080", "2024-01-01", "camera", "Point", "", "x" * 5000, "a\x00b"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.slow
def test_no_value_in_any_field_is_a_server_error(race_app):  # noqa: F811 (the fixture)
    """On SQLite and PostgreSQL (which, unlike SQLite, cannot store NUL in text)."""
    app = race_app
    device_id, compound, code, _version = _camera(app)
    s = new_session(app)
    token = issue_token(s, "admin", actor="tests")
    s.commit()
    s.close()
    api_client, web_client = app.test_client(), app.test_client()
    login(web_client, "admin")
    api_url = f"/api/v1/compounds/{compound}/devices/{code}"
    auth = {"Authorization": f"Bearer {token}"}
    statuses: dict[int, int] = {}

    @given(field=st.sampled_from(FIELDS), value=values)
    @settings(
        max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def check(field, value):
        version = api_client.get(api_url, headers=auth).get_json()["version"]
        body = json.dumps({"version": version, field: value})
        for resp in (
            api_client.patch(api_url, data=body, content_type="application/json", headers=auth),
            web_client.patch(f"/devices/{device_id}", data=body, content_type="application/json"),
        ):
            statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
            assert resp.status_code < 500, (field, value, resp.get_data(as_text=True)[:300])
            assert resp.is_json
            if resp.status_code == 400:  # the field at fault: the one sent, or one the
                err = resp.get_json()["error"]  # ledger's rule names (focal_mm with a sensor)
                assert err.get("field") in (field, "body") or err["field"] in err["message"]

    check()
    assert statuses.get(400, 0) > 100 and set(statuses) <= {200, 400, 409}, statuses
