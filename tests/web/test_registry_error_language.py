"""A ledger error reaching the reader is worded in the page language (docs/registry.md)."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import login

JSON = {"Accept": "application/json"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "lang, expected, foreign",
    [
        ("zh", ["小区 '", "已有设备 '"], "already has a device"),
        ("en", ["compound '", "already has a device '"], "已有设备"),
    ],
)
def test_duplicate_device_code_in_the_page_language(client, ids, lang, expected, foreign):
    login(client, "technician")
    client.post("/language", data={"lang": lang})
    x, y = ids["free_xy"]
    code = ids["own_cam_code"]
    resp = client.post(
        f"/compounds/{ids['own']}/devices",
        json={"kind": "camera", "code": code, "x": x, "y": y},
        headers={**JSON, "Accept-Language": lang},
    )
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    message = error["message"]
    for part in expected:
        assert part in message, message
    assert f"'{code}'" in message and f"'{ids['own_code']}'" in message  # codes as they are
    assert foreign not in message and "%(" not in message
    if lang == "en":
        assert not CJK.search(message)
