"""The words of reports and schedules, in Chinese and English.

Enumerations (DORI levels, zone types, device statuses) are worded by the
plan picture's table (:mod:`camwatch.render.terms`) so that the report and its
picture say the same thing; this table adds what only reports say. Keys are
the English text.
"""

from __future__ import annotations

from camwatch.render.terms import LANGS, heading

WORDS: dict[str, str] = {
    # title and cover
    "CCTV coverage report": "视频监控覆盖评估报告",
    "Safe compound video surveillance": "平安小区视频监控",
    "Compound": "小区",
    "Compound code": "小区编码",
    "Address": "地址",
    "District": "所属辖区",
    "Report date": "报告日期",
    "Rule profile": "检查标准",
    "Prepared by": "编制单位/人",
    "Cameras counted": "计入分析的摄像机",
    "Planned cameras counted too": "含规划摄像机",
    "Installed cameras only": "仅计已安装摄像机",
    "Verdict": "结论",
    "Zone coverage": "重点区域覆盖",
    "Key figures": "主要指标",
    "Page": "第",
    "of": "页 / 共",
    "pages": "页",
    # sections
    "Plan": "平面图",
    "Coverage per DORI level": "各等级覆盖率",
    "Zones": "重点区域",
    "Blind spots": "盲区",
    "Camera schedule": "摄像机清单",
    "Suggested additions": "建议增补摄像机",
    "Open problems": "未整改问题",
    "Latest inspection": "最近一次检查",
    "Sign-off": "签字确认",
    "Prepared": "编制",
    "Reviewed": "审核",
    "Date": "日期",
    "Signature": "签字",
    # column heads
    "Level": "等级",
    "Pixel density": "像素密度",
    "Covered area": "覆盖面积",
    "Coverage": "覆盖率",
    "Zone": "区域",
    "Type": "类型",
    "Required level": "要求等级",
    "Area": "面积",
    "Result": "结果",
    "Pass": "达标",
    "Fail": "不达标",
    "Label": "编号",
    "Centre": "中心位置",
    "In zones": "所在区域",
    "Code": "编号",
    "Status": "状态",
    "Model": "型号",
    "Lens": "镜头",
    "Resolution": "分辨率",
    "Height": "安装高度",
    "Tilt": "俯角",
    "Heading": "朝向",
    "DORI distances": "DORI 距离",
    "Footprint": "监视面积",
    "Position": "位置",
    "Gain": "新增覆盖",
    "Unit cost": "单价",
    "Coverage after": "增补后覆盖率",
    "Description": "问题描述",
    "Responsible": "责任单位/人",
    "Deadline": "整改期限",
    "Overdue": "逾期",
    "days": "天",
    "Inspector": "检查人",
    "Score": "得分",
    "Item": "检查项",
    "Detail": "说明",
    "Passed": "通过",
    "Failed": "未通过",
    # notes
    "Monitored area": "监控范围面积",
    "No blind spot of 1 m² or more.": "无 1 平方米及以上的盲区。",
    "No zones are defined on this plan.": "平面图未划定重点区域。",
    "No cameras.": "无摄像机。",
    "No open problems.": "无未整改问题。",
    "No inspection recorded.": "尚无检查记录。",
    "A zone passes when at least 98 % of its area reaches its required level.": (
        "区域内达到要求等级的面积不低于 98% 即为达标。"
    ),
    "Blind spot labels are those of the plan picture.": "盲区编号与平面图一致。",
    "Not counted in the coverage (faulty, offline or planned).": "未计入覆盖(故障、离线或规划)。",
    "DORI distances: detection / observation / recognition / identification (m).": (
        "DORI 距离:探测 / 观察 / 识别 / 辨认(米)。"
    ),
    "Coverage with these cameras added": "增补以上摄像机后覆盖率",
    "This report was produced by camwatch from the plan and the device ledger.": (
        "本报告由 camwatch 根据小区平面图及设备台账生成。"
    ),
    "the inspection passes": "检查通过",
    "the inspection fails": "检查未通过",
    # district report
    "District report": "辖区平安小区建设情况报告",
    "Compounds": "小区数",
    "Meet the standard": "达标小区",
    "Target": "目标",
    "Rank": "排名",
    "Checklist score": "检查得分",
    "Uncovered key area": "重点区域未覆盖面积",
    "Overdue rectifications": "逾期整改",
    "Faulty cameras": "故障/离线摄像机",
    "Open": "未整改",
    "Overdue items": "逾期整改事项",
    "Target reached": "已达到目标",
    "Target not reached": "未达到目标",
    "No overdue rectifications.": "无逾期整改事项。",
    "No faulty or offline cameras.": "无故障或离线摄像机。",
    "Camera": "摄像机",
    "Since": "状态起始",
    "All districts": "全部辖区",
    "Weight": "分值",
    # problem statuses (the ledger's)
    "open": "待整改",
    "in_progress": "整改中",
    "reopened": "重新整改",
    "count": "数量",
    "cost": "金额",
    "total": "合计",
    # the ledger's inspection checklist items (camwatch.registry.inspections)
    "check:coverage": "重点区域覆盖达标",
    "check:blind_spots": "无盲区",
    "check:device_health": "设备完好",
    "check:problems": "无逾期整改事项",
    "check:access_control": "出入口均有门禁",
    "check:perimeter_alarms": "周界报警",
    # standards findings (camwatch.report.findings)
    "Standards findings": "标准符合性检查",
    "Meets the standard": "是否达标",
    "Errors": "不达标项",
    "Warnings": "警告项",
    "Notes": "提示项",
    "Rule": "规则",
    "Clause": "依据条款",
    "Finding": "检查发现",
    "Concerns": "涉及对象",
    "Fix": "整改建议",
    "No findings: every rule of the profile is met.": "未发现问题：检查标准的各项规则均已满足。",
    "Rule ids and clauses are those of `camwatch check` (docs/standards.md).": (
        "规则编号与依据条款同 camwatch check 的检查结果。"
    ),
    "Not checked (needs the device ledger)": "未检查(需设备台账)",
    # a recorded inspection of rule results (camwatch.report.content)
    "Severity": "严重程度",
    "Findings": "发现数",
    "severity:error": "不达标",
    "severity:warning": "警告",
    "severity:info": "提示",
    "No blind spots": "无盲区",
    "Devices in working order": "设备完好",
    "No overdue rectification items": "无逾期整改事项",
    "yes": "是",
    "no": "否",
}


def word(key: str, lang: str) -> str:
    """The report's word for ``key`` in ``lang``; enumerations fall back to the picture's
    terms, with a capital first letter in English (they stand alone in table cells).

    >>> word("Blind spots", "zh"), word("Blind spots", "en"), word("bike_shed", "zh")
    ('盲区', 'Blind spots', '非机动车棚')
    >>> word("bike_shed", "en"), word("days", "en")
    ('Bike shed', 'days')
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if key in WORDS:
        return WORDS[key] if lang == "zh" else key
    return heading(key, lang)
