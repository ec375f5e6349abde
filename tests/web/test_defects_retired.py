"""A retired device's page renders, and the roles that may retire may restore (docs/registry.md)."""

from __future__ import annotations

import re

from tests.web.conftest import login

JSON = {"Accept": "application/json"}


def _retire(client, device_id: int) -> None:
    dev = client.get(f"/devices/{device_id}", headers=JSON).get_json()["properties"]
    resp = client.post(
        f"/devices/{device_id}/retire",
        data={"reason": "mast replaced", "version": str(dev["version"])},
    )
    assert resp.status_code == 302


def _codes(client, cid: int) -> list[str]:
    features = client.get(f"/compounds/{cid}/map.json").get_json()["devices"]["features"]
    return [f["properties"]["code"] for f in features]


def test_retired_camera_page_renders_and_restores(client, ids):
    login(client, "technician")
    _retire(client, ids["own_cam"])
    page = client.get(f"/devices/{ids['own_cam']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/devices/{ids['own_cam']}/restore" in html  # the restore button
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    stale = client.post(
        f"/devices/{ids['own_cam']}/restore",
        data={"version": str(int(version) - 1)},
        follow_redirects=True,
    )
    assert stale.status_code == 200
    assert ids["own_cam_code"] not in _codes(client, ids["own"])  # stale: nothing restored
    resp = client.post(f"/devices/{ids['own_cam']}/restore", data={"version": version})
    assert resp.status_code == 302
    dev = client.get(f"/devices/{ids['own_cam']}", headers=JSON).get_json()["properties"]
    assert dev["status"] == "active"  # its status before retirement
    assert ids["own_cam_code"] in _codes(client, ids["own"])


def test_roles_that_may_not_retire_may_not_restore(client, ids):
    login(client, "technician")
    _retire(client, ids["own_cam"])
    login(client, "manager")
    html = client.get(f"/devices/{ids['own_cam']}").get_data(as_text=True)
    assert f"/devices/{ids['own_cam']}/restore" not in html
    resp = client.post(f"/devices/{ids['own_cam']}/restore", data={})
    assert resp.status_code == 403
    login(client, "technician")
    assert (
        client.get(f"/devices/{ids['own_cam']}", headers=JSON).get_json()["properties"]["status"]
        == "retired"
    )


def test_retiring_a_retired_device_again_says_so_on_its_page(client, ids):
    """A second tab's retire form, posted after the first: the device page with the reason
    (in the reader's language), not an error page; nothing changes."""
    login(client, "technician")
    _retire(client, ids["own_cam"])
    dev = client.get(f"/devices/{ids['own_cam']}", headers=JSON).get_json()["properties"]
    resp = client.post(
        f"/devices/{ids['own_cam']}/retire",
        data={"reason": "twice", "version": str(dev["version"])},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/devices/{ids['own_cam']}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已停用" in page and "twice" not in page
    after = client.get(f"/devices/{ids['own_cam']}", headers=JSON).get_json()["properties"]
    assert after["version"] == dev["version"]
