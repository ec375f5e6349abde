"""The words on a plan picture, in English and Chinese.

One table, keyed by the English term (model enumerations use their file
value, e.g. ``bike_shed``); the Chinese follows the wording of the safe-compound
programme documents (出入口, 周界, 盲区, 门禁, 对讲 …). English text is the key
with underscores read as spaces.
"""

from __future__ import annotations

from camwatch.ladders import ALL_LEVELS

LANGS: tuple[str, ...] = ("zh", "en")

TERMS: dict[str, str] = {
    # the levels of every ladder (DORI, IEC 62676-4:2025), from the one table of levels
    **{lv.name: lv.zh for lv in ALL_LEVELS.values()},
    # coverage and its model (docs/site-format.md §4)
    "coverage model": "覆盖模型",
    "ground level": "地面",
    "standing person": "站立人员",
    "target height": "目标高度",
    "all levels": "全部等级",
    "coverage": "覆盖率",
    "covered": "已覆盖",
    "monitored area": "监控范围",
    "blind spot": "盲区",
    "blind spots": "盲区",
    "coverage level": "覆盖等级",
    "level shown": "显示等级",
    # site features
    "boundary": "小区边界",
    "building": "建筑",
    "obstacle": "障碍物",
    "wall": "围墙",
    "zone": "区域",
    "failing zone": "不达标区域",
    "zones passed": "达标区域",
    "required": "要求",
    # zone types
    "entrance": "出入口",
    "perimeter": "周界",
    "parking": "停车场",
    "bike_shed": "非机动车棚",
    "playground": "儿童游乐场",
    "lobby": "单元门厅",
    "road": "道路",
    "square": "广场",
    "other": "其他",
    "ebike_charging": "电动车充电点",
    "garage": "地下车库",
    "lift": "电梯",
    # gates, access control, alarms, intercoms
    "gate": "出入口",
    "access control": "门禁",
    "none": "无门禁",
    "card": "刷卡",
    "face": "人脸识别",
    "code": "密码",
    "qr": "二维码",
    "intercom": "对讲",
    "alarm": "报警",
    "alarm line": "报警线",
    "infrared_beam": "红外对射",
    "electric_fence": "电子围栏",
    "door_contact": "门磁",
    "panic_button": "紧急报警按钮",
    "vibration": "振动探测",
    # cameras
    "camera": "摄像机",
    "cameras": "摄像机",
    "active": "正常",
    "planned": "规划",
    "faulty": "故障",
    "offline": "离线",
    "not counted (footprint)": "未计入覆盖(视场)",
    # overlays from the planners
    "suggested camera": "建议摄像机",
    "suggested device": "建议设备",
    "intruder route": "入侵路径",
    "patrol route": "巡逻路线",
    # title block and decorations
    "camera coverage plan": "视频监控覆盖平面图",
    "compliant": "合规",
    "not compliant": "不合规",
    "compliance": "合规性",
    "scale": "比例尺",
    "north": "北",
    "legend": "图例",
    "date": "日期",
    "site": "小区",
}


def term(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` ("zh" or "en"); unknown keys are shown as given.

    >>> term("bike_shed", "zh"), term("bike_shed", "en")
    ('非机动车棚', 'bike shed')
    """
    if lang == "zh":
        return TERMS.get(key, key)
    return key.replace("_", " ")


def heading(key: str, lang: str) -> str:
    """:func:`term` with a capital first letter in English, for titles and legend entries.

    >>> heading("legend", "en"), heading("legend", "zh")
    ('Legend', '图例')
    """
    text = term(key, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text
