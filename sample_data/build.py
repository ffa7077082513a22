"""Rebuild sample_data/cases.csv: the window's month from 2026-09-14 to the evening of 2026-10-14,
entered through the ledger's own moves with the dates they happened on, then exported.

    python sample_data/build.py

Names, companies and phone numbers are invented.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ledger import i18n, sheets
from ledger.actions import Desk
from ledger.store import Ledger

# (received at, applicant, phone, matter, cause, problem, channel, limit, sections, scope,
#  department at intake, [moves])
# fmt: off
CASES = [
    ("09-14 09:10", "鑫源餐饮店", "13805710001", "食品经营许可证新办",
     "网上提交三次均被退回，每次退回理由不一致", "not-approved", "online", "standard",
     ["market"], "within", "市场准入",
     [("dispatch", "09-14 09:30"),
      ("resolve", "09-16 16:00", "协调市场准入科一次性告知全部补正材料，当场受理", "食品经营许可证已核发"),
      ("feedback", "09-17 10:00", "phone", "satisfied")]),
    ("09-14 10:20", "陈女士", "13905710002", "个体工商户注销",
     "不清楚注销前是否需要先办理税务清税", "unclear-policy", "window", "simple",
     ["market"], "within", None,
     [("resolve", "09-14 10:40", "窗口电话联系税务窗口确认流程", "已一次性告知注销及清税步骤"),
      ("feedback", "09-14 10:45", "visit", "satisfied")]),
    ("09-14 14:00", "华信智能科技有限公司", "13605710003", "企业投资项目备案信息变更",
     "备案系统提示项目代码冲突，无法提交变更", "not-accepted", "online", "standard",
     ["investment"], "within", "投资项目",
     [("dispatch", "09-14 14:30"),
      ("resolve", "09-17 11:00", "投资项目科联系省投资项目在线审批平台运维处理代码冲突", "变更已完成备案"),
      ("feedback", "09-18 09:00", "phone", "basic")]),
    ("09-15 09:00", "刘先生", "13705710004", "城乡居民医保异地就医备案",
     "线上备案三次失败，到服务大厅跑了两趟仍未解决", "repeat-visits", "window", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "09-15 09:20"),
      ("resolve", "09-16 15:00", "社会事务科工作人员到窗口现场协助办理", "异地就医备案成功"),
      ("feedback", "09-16 16:00", "phone", "satisfied")]),
    ("09-15 11:00", "晨光农业专业合作社", "13505710005", "农机购置补贴申请",
     "补贴申请提交后两个月未审核", "not-approved", "hotline", "complex",
     ["agri-water"], "within", "农水事务",
     [("dispatch", "09-15 11:30"),
      ("extend", "09-21 10:00", 2, "需区农机部门到场核验机具"),
      ("resolve", "09-24 16:00", "农水事务科协调区农机中心现场核验", "补贴已审核通过，进入公示"),
      ("feedback", "09-28 09:30", "phone", "satisfied")]),
    ("09-16 09:30", "宏达建设工程有限公司", "13305710006", "建筑工程施工许可证办理",
     "消防设计审查意见未出具，施工许可无法受理", "not-accepted", "window", "complex",
     ["construction", "market"], "involves", "工程建设",
     [("dispatch", "09-16 10:00"),
      ("urge", "09-22 09:00", "电话督办工程建设科"),
      ("resolve", "09-23 15:00", "工程建设科牵头消防审查并联办理", "施工许可证已核发"),
      ("feedback", "09-24 10:00", "visit", "satisfied")]),
    ("09-16 14:00", "王先生", "13805710007", "个人所得税汇算清缴退税",
     "个税App显示已审核，但一个月未到账", "other", "phone", "standard",
     [], "other-unit", "税务",
     [("dispatch", "09-16 14:20"),
      ("resolve", "09-18 10:00", "转二楼税务窗口核查退税账户", "银行卡信息有误，已更正，退税已到账"),
      ("feedback", "09-18 11:00", "phone", "satisfied")]),
    ("09-17 10:00", "李女士", "13905710008", "公共租赁住房申请资格审核",
     "材料齐全，三个月没有审核结果", "not-approved", "letter", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "09-17 10:30"),
      ("resolve", "09-22 16:00", "社会事务科核查发现系统漏推送，已补推审核", "资格审核已通过"),
      ("feedback", "09-23 09:00", "letter", "satisfied")]),
    ("09-17 15:00", "某先生", None, "反映小区违章搭建无人处理",
     "多次向街道反映未果", "special", "hotline", "cannot",
     [], "outside", None,
     [("cannot", "09-17 15:30", "违建查处属综合行政执法部门职责，不是审批事项，已告知向区综合行政执法局反映并提供电话"),
      ("feedback", "09-17 16:00", "phone", None)]),
    ("09-18 09:00", "绿源水产养殖场", "13605710010", "取水许可延续",
     "不清楚延续需要哪些材料", "unclear-policy", "phone", "simple",
     ["agri-water"], "within", None,
     [("resolve", "09-18 09:20", "电话联系农水事务科确认材料清单", "已一次性告知延续材料"),
      ("feedback", "09-18 09:25", "phone", "satisfied")]),
    ("09-18 10:30", "张先生", "13705710011", "二手房契税核定",
     "原购房发票遗失，契税核定无法受理", "not-accepted", "window", "standard",
     [], "other-unit", "税务",
     [("dispatch", "09-18 10:50"),
      ("resolve", "09-21 14:00", "税务窗口以发票查询记录替代原件完成核定", "契税已核定，不动产登记已受理"),
      ("feedback", "09-22 10:00", "phone", "basic")]),
    ("09-20 09:00", "启明教育咨询有限公司", "13305710012", "民办培训机构办学许可",
     "办学许可与营业执照两个环节互相要求先办，来回跑了四趟", "repeat-visits", "window", "complex",
     ["social", "market"], "involves", "社会事务",
     [("dispatch", "09-20 09:30"),
      ("return", "09-21 10:00", "社会事务科认为应先办营业执照，退回窗口"),
      ("dispatch", "09-21 11:00", "市场准入"),
      ("resolve", "09-28 15:00", "召集两科室会商，明确先照后证的办理顺序", "营业执照已办结，办学许可进入审查"),
      ("feedback", "09-29 10:00", "visit", "unsatisfied")]),
    ("09-21 10:00", "赵女士", "13905710013", "生育津贴申领",
     "单位已申报，两个月未发放", "not-approved", "online", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "09-21 10:20"),
      ("resolve", "09-23 15:00", "社会事务科联系医保经办机构加急审核", "生育津贴已发放"),
      ("feedback", "09-24 09:00", "sms", "satisfied")]),
    ("09-21 14:00", "恒通物流有限公司", "13605710014", "道路货物运输经营许可变更",
     "变更经营地址后系统无法提交", "not-accepted", "online", "standard",
     ["market"], "within", "市场准入",
     [("dispatch", "09-21 14:20"),
      ("resolve", "09-22 11:00", "协调省平台修正地址字段", "变更已完成"),
      ("feedback", "09-22 14:00", "phone", "satisfied")]),
    ("09-22 09:30", "孙先生", "13805710015", "农村宅基地建房审批",
     "村里说要镇里批，镇里说要区里批", "repeat-visits", "phone", "complex",
     ["agri-water", "construction"], "involves", "农水事务",
     [("dispatch", "09-22 09:50"),
      ("ack", "09-23 08:50", "农水事务科 李科长"),
      ("urge", "10-08 09:00", "催办通知书：期限 09-30 已过"),
      ("urge", "10-12 09:10", "电话督办，答复正在与自然资源所会商")]),
    ("09-22 15:00", "周女士", "13705710016", "残疾人两项补贴申请",
     "不清楚申请条件", "unclear-policy", "window", "simple",
     ["social"], "within", None,
     [("resolve", "09-22 15:20", "窗口电话联系社会事务科确认", "已告知申请条件和材料"),
      ("feedback", "09-22 15:25", "visit", "satisfied")]),
    ("09-23 10:00", "锦程房地产开发有限公司", "13305710017", "商品房预售许可",
     "资料提交四十天未出结果", "not-approved", "letter", "complex",
     ["construction"], "within", "工程建设",
     [("dispatch", "09-23 10:30"),
      ("ack", "09-24 09:00", "工程建设科"),
      ("urge", "09-29 09:00", "书面督办"),
      ("resolve", "10-09 10:00", "工程建设科督促完成现场查验", "预售许可证已核发"),
      ("feedback", "10-09 15:00", "phone", "satisfied")]),
    ("09-24 09:00", "吴先生", "13905710018", "灵活就业人员社保缴费基数调整",
     "线上调整提示无操作权限", "other", "online", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "09-24 09:20"),
      ("resolve", "09-28 11:00", "社会事务科后台开通调整权限", "缴费基数已调整"),
      ("feedback", "09-28 14:00", "sms", "satisfied")]),
    ("09-24 11:00", "泰和食品有限公司", "13605710019", "增值税留抵退税",
     "申请后一个月未到账", "not-approved", "phone", "standard",
     [], "other-unit", "税务",
     [("dispatch", "09-24 11:20"),
      ("ack", "09-28 08:40", "税务窗口"),
      ("urge", "10-08 09:05", "催办通知书：期限 09-30 已过"),
      ("urge", "10-13 09:00", "书面督办")]),
    ("09-28 09:00", "郑女士", "13705710020", "个体工商户经营范围变更",
     "网上提交提示经营范围表述不规范", "not-accepted", "online", "simple",
     ["market"], "within", None,
     [("resolve", "09-28 09:30", "窗口指导选用规范经营范围表述", "当场提交成功"),
      ("feedback", "09-28 09:35", "visit", "satisfied")]),
    ("09-28 14:00", "远航进出口贸易有限公司", "13305710021", "外商投资信息报告",
     "不清楚报告时限和渠道", "unclear-policy", "phone", "simple",
     ["investment"], "within", None,
     [("resolve", "09-28 14:20", "电话联系投资项目科", "已告知报告时限和填报渠道"),
      ("feedback", "09-28 14:25", "phone", "satisfied")]),
    ("09-29 09:30", "钱先生", "13805710022", "建设工程竣工联合验收",
     "规划、消防、人防三家验收时间协调不上", "special", "window", "complex",
     ["construction"], "involves", "工程建设",
     [("dispatch", "09-29 10:00"),
      ("ack", "09-30 09:00", "工程建设科 王工"),
      ("extend", "10-08 09:00", 3, "人防部门现场踏勘需排期"),
      ("urge", "10-12 09:00", "电话督办"),
      ("urge", "10-13 09:00", "再次电话督办"),
      ("pause", "10-13 15:00", "等待人防部门现场踏勘意见（不计入办理时限）")]),
    ("09-29 11:00", "田园家庭农场", "13505710023", "高标准农田建设项目尾款拨付",
     "项目已验收，尾款半年未拨付", "not-approved", "letter", "complex",
     ["agri-water", "investment"], "involves", "农水事务",
     [("dispatch", "09-29 11:30"),
      ("ack", "09-30 10:00", "农水事务科"),
      ("urge", "10-09 10:00", "电话督办"),
      ("urge", "10-13 10:00", "书面督办")]),
    ("09-30 09:00", "冯女士", "13905710024", "医保关系转移接续",
     "转出地已办理，转入地查询不到记录", "repeat-visits", "hotline", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "09-30 09:20"),
      ("ack", "10-08 08:50", "社会事务科"),
      ("urge", "10-12 09:30", "电话督办")]),
    ("09-30 14:00", "博远科技有限公司", "13605710025", "高新技术企业认定申报",
     "系统提示不在受理期，但通知称可随时申报", "not-accepted", "online", "standard",
     ["investment"], "within", "投资项目",
     [("dispatch", "09-30 14:30"),
      ("return", "10-08 10:00", "投资项目科认为属科技部门业务，退回窗口"),
      ("dispatch", "10-08 14:00", "投资项目"),
      ("resolve", "10-09 16:00", "投资项目科与区科技局沟通，明确受理渠道", "已在科技部门系统重新提交"),
      ("feedback", "10-10 09:00", "phone", "satisfied")]),
    ("09-30 15:30", "褚先生", "13705710026", "社保卡补办进度",
     "补办三周未收到", "other", "phone", "simple",
     ["social"], "within", None,
     [("void", "10-08 09:00", "与同日电话登记重复，作废")]),
    ("10-08 09:00", "卫女士", "13805710027", "建筑业企业资质延续",
     "系统提示社保人员数据不一致", "not-accepted", "online", "standard",
     ["construction"], "within", "工程建设",
     [("dispatch", "10-08 09:30"),
      ("resolve", "10-10 11:00", "工程建设科协调社保数据比对", "资质延续申请已受理")]),
    ("10-08 10:00", "蒋先生", "13905710028", "二次供水设施验收",
     "不清楚应找哪个部门", "unclear-policy", "hotline", "simple",
     ["construction", "agri-water"], "involves", None,
     [("resolve", "10-08 10:30", "电话联系工程建设科、农水事务科确认", "已告知验收牵头部门"),
      ("feedback", "10-08 10:40", "phone", "satisfied")]),
    ("10-08 14:00", "沈女士", "13605710029", "退役军人优待证申领",
     "以为可在本中心办理", "other", "window", "cannot",
     [], "other-unit", None,
     [("cannot", "10-08 14:20", "该事项属区退役军人事务局业务，不在本中心审批范围，已告知办理地址和电话"),
      ("feedback", "10-08 14:25", "visit", "satisfied")]),
    ("10-09 09:00", "韩先生", "13705710030", "营业执照遗失补领",
     "线上补领提示身份认证失败", "not-accepted", "online", "simple",
     ["market"], "within", "市场准入",
     [("dispatch", "10-09 09:20"),
      ("resolve", "10-09 11:00", "市场准入科核实身份后窗口办理", "营业执照已补发"),
      ("feedback", "10-09 14:00", "sms", "satisfied")]),
    ("10-09 10:30", "杨女士", "13805710031", "城乡居民养老保险待遇领取",
     "到龄三个月未发放养老金", "not-approved", "phone", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "10-09 10:50"),
      ("ack", "10-09 14:00", "社会事务科")]),
    ("10-09 15:00", "朱先生", "13305710032", "企业投资项目节能审查",
     "审查意见超期未出具", "not-approved", "letter", "complex",
     ["investment"], "within", "投资项目",
     [("dispatch", "10-09 15:30")]),
    ("10-10 09:00", "秦女士", "13905710033", "药品经营许可证变更",
     "变更法定代表人后被要求重新现场检查", "unclear-policy", "window", "standard",
     ["market"], "within", "市场准入",
     [("dispatch", "10-10 09:30"),
      ("ack", "10-12 08:45", "市场准入科"),
      ("extend", "10-13 10:00", 2, "需安排现场检查")]),
    ("10-10 11:00", "尤先生", "13605710034", "水土保持方案审批",
     "审批系统与投资在线平台数据不同步", "special", "online", "complex",
     ["agri-water", "investment"], "involves", "农水事务",
     [("dispatch", "10-10 11:30", None, ["工程建设"]),
      ("ack", "10-12 09:00", "农水事务科"),
      ("resolve", "10-13 16:00", "农水事务科协调平台同步数据后出具审批意见", "水土保持方案已批复"),
      ("feedback", "10-14 10:00", "phone", "unsatisfied"),
      ("reopen", "10-14 11:00", "申请人对批复中的防治责任范围有异议，要求复核")]),
    ("10-10 14:00", "许女士", "13705710035", "失业保险金申领",
     "申领后一个月未到账", "not-approved", "hotline", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "10-10 14:20"),
      ("resolve", "10-12 15:00", "社会事务科核查后补录银行账户", "失业保险金已发放"),
      ("feedback", "10-12 16:00", "phone", "satisfied")]),
    ("10-12 09:00", "何先生", "13805710036", "个体户定期定额核定异议",
     "认为核定税额高于实际经营", "other", "phone", "standard",
     [], "other-unit", "税务",
     [("dispatch", "10-12 09:30")]),
    ("10-12 10:00", "吕女士", "13905710037", "出生医学证明补办",
     "医院说要去卫健部门，卫健部门说要回医院", "repeat-visits", "window", "standard",
     ["social"], "within", None,
     [("classify", "10-14 08:50", "社会事务")]),
    ("10-12 14:00", "施先生", "13605710038", "建设用地规划许可",
     "规划条件调整后申请被退回", "not-approved", "letter", "complex",
     ["construction", "investment"], "involves", "工程建设",
     [("dispatch", "10-12 14:30", None, ["投资项目"])]),
    ("10-13 09:00", "刘先生", "13705710004", "异地就医报销被拒",
     "已办理异地备案，报销时仍显示未备案", "repeat-visits", "window", "standard",
     ["social"], "within", "社会事务",
     [("dispatch", "10-13 09:20"),
      ("ack", "10-13 11:00", "社会事务科"),
      ("pause", "10-13 16:30", "等待申请人补交异地就医结算单据原件")]),
    ("10-13 10:30", "孔女士", "13905710040", "食品小作坊登记",
     "不清楚小作坊登记与食品生产许可的区别", "unclear-policy", "phone", "simple",
     ["market"], "within", None,
     [("resolve", "10-13 10:50", "电话联系市场准入科确认", "已告知小作坊登记条件和材料")]),
    ("10-13 14:00", "曹先生", "13805710041", "城镇污水排入排水管网许可",
     "材料被要求反复补正", "repeat-visits", "window", "standard",
     ["construction"], "within", "工程建设",
     [("pause", "10-13 16:00", "等待申请人补齐排水水质检测报告")]),
    ("10-14 08:40", "严女士", "13705710042", "个体工商户年度报告修改",
     "年报已提交后发现数据错误无法修改", "other", "online", "simple",
     ["market"], "within", None,
     [("resolve", "10-14 09:00", "电话联系市场准入科开通修改", "年报已修改"),
      ("feedback", "10-14 09:05", "phone", "satisfied")]),
    ("10-14 09:30", "华先生", "13905710043", "农村土地承包经营权流转备案",
     "村委会不予盖章", "special", "window", "standard",
     ["agri-water"], "within", "农水事务",
     [("dispatch", "10-14 10:00")]),
    ("10-14 10:15", "金女士", "13605710044", "最低生活保障申请复核",
     "认为家庭收入核算有误，申请被拒", "not-approved", "letter", "cannot",
     ["social"], "within", "社会事务",
     [("cannot", "10-14 15:00", "经社会事务科复核，家庭人均收入高于本区低保标准，依规不能办理；已准备书面说明及复核依据")]),
    ("10-14 11:00", "魏先生", "13305710045", "工程款拖欠投诉",
     "施工方拖欠工程款三个月", "other", "other", "standard",
     [], None, None,
     []),
    ("10-14 14:30", "陶女士", "13805710046", "住房公积金提取",
     "离职后提取被告知需等待半年", "unclear-policy", "phone", "standard",
     [], None, None,
     []),
]
# fmt: on


def record_cases(ledger: Ledger) -> None:
    """Enter every case of the sample through the ledger's own moves, with its history."""
    with ledger.writing():
        desk = Desk(ledger)
        for received, who, phone, matter, cause, *fields, dept, moves in CASES:
            problem, channel, limit, sections, scope = fields
            case = desk.add(
                who,
                matter,
                contact=phone,
                cause=cause,
                problem=problem,
                channel=channel,
                limit=limit,
                sections=sections,
                scope=scope,
                dept=dept,
                at=f"2026-{received}",
            )
            for move in moves:
                _move(desk, case.id, move)


def build(target: Path) -> int:
    i18n.set_language("zh")
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(Path(folder) / "sample.db")
        record_cases(ledger)
        with ledger.reading():
            rows = sheets.export_rows(ledger.iter_export(None, None, None), full_contact=True)
            with target.open("wb") as handle:
                count = sheets.write_csv(rows, handle, "utf-8-sig")
        ledger.close()
    return count


def _move(desk: Desk, case_id: str, move: tuple) -> None:
    name, when, *rest = move
    at = f"2026-{when}"
    if name == "dispatch":
        dept = rest[0] if rest else None
        desk.dispatch(case_id, dept=dept, assist=rest[1] if len(rest) > 1 else None, at=at)
    elif name == "ack":
        desk.ack(case_id, rest[0], at=at)
    elif name == "pause":
        desk.pause(case_id, rest[0], at=at)
    elif name == "resume":
        desk.resume(case_id, at=at)
    elif name == "classify":
        desk.classify(case_id, dept=rest[0], at=at)
    elif name == "return":
        desk.return_order(case_id, rest[0], at=at)
    elif name == "extend":
        desk.extend(case_id, rest[0], rest[1], at=at)
    elif name == "urge":
        desk.urge(case_id, rest[0], at=at)
    elif name == "resolve":
        desk.resolve(case_id, method=rest[0], outcome=rest[1], at=at)
    elif name == "cannot":
        desk.resolve(case_id, cannot=True, reason=rest[0], at=at)
    elif name == "feedback":
        desk.feedback(case_id, rest[0], rest[1], at=at)
    elif name == "reopen":
        desk.reopen(case_id, rest[0], at=at)
    elif name == "void":
        desk.void(case_id, rest[0], at=at)
    else:
        raise ValueError(name)


if __name__ == "__main__":
    out = Path(__file__).with_name("cases.csv")
    print(f"{build(out)} cases written to {out}")
