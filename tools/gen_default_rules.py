#!/usr/bin/env python3
"""Generates the 14 category files of rules/default/ (<category>.textproto).

The rules themselves live in gen_default_rules_table.py, one row per rule
(condition, nature, priority, basis keys, example, near miss); this script adds
the conventions every rule shares: the id (<category>.<subcategory>[.<variant>]),
the discipline of DOMAIN.md §3, the basis citations, the expected disposition
of the example, and the compliance guard. Edit the table, run this script,
then `xuncha check rules/default` and `xuncha test rules/default`.
set.textproto (stages, lexicons, negation cues) and disposition.textproto
(the dispose stage) are written by hand; this script never touches them, nor
patterns.textproto.

Usage: /usr/bin/python3 tools/gen_default_rules.py [outdir]
"""

import os
import re
import sys

N = "[0-9一二两三四五六七八九十百千几多]"   # a count (full-width digits left out: the mixed-width lint)
LEADER = "(书记|总经理|董事长|副总|总会计师|主任|经理|负责人|领导|部长|处长|科长)"

# ---------------------------------------------------------------------------
# Basis citations. Articles only where DOMAIN.md cites them.
B = {
    "ztb": ("中华人民共和国招标投标法", "2017年修正", "", ""),
    "ztb4": ("中华人民共和国招标投标法", "2017年修正", "第四条", "不得将依法必须进行招标的项目化整为零或者以其他任何方式规避招标"),
    "ztb48": ("中华人民共和国招标投标法", "2017年修正", "第四十八条", "不得转包；分包仅限非主体、非关键性工作，不得再次分包"),
    "ssl8": ("中华人民共和国招标投标法实施条例", "2019年修订", "第八条", "国有资金控股或占主导地位的项目应当公开招标，例外须经批准"),
    "ssl24": ("中华人民共和国招标投标法实施条例", "2019年修订", "第二十四条", "不得利用划分标段规避招标"),
    "ssl40": ("中华人民共和国招标投标法实施条例", "2019年修订", "第四十条", "视为投标人相互串通投标的情形"),
    "ssl": ("中华人民共和国招标投标法实施条例", "2019年修订", "", ""),
    "bx16": ("必须招标的工程项目规定（国家发展改革委令第16号）", "2018", "",
             "施工单项合同估算价400万元、重要设备材料200万元、勘察设计监理等服务100万元以上必须招标；以后是否修订待核实"),
    "cg": ("本集团采购管理办法", "", "", "国有企业采购适用集团制度；政府采购法及其实施条例仅经集团政策参照适用"),
    "zfcg28": ("中华人民共和国政府采购法实施条例", "2015", "第二十八条", "参照适用：同一品目或类别年度内累计达到公开招标数额的，不得化整为零"),
    "zfcg31": ("中华人民共和国政府采购法", "2014年修正", "第三十一条", "参照适用：单一来源采购的适用情形"),
    "jlcf": ("中国共产党纪律处分条例", "2023年修订", "", "条款依具体情节确定"),
    "bxgd": ("中央八项规定及其实施细则精神", "", "", ""),
    "jdgd": ("党政机关国内公务接待管理规定", "2013", "", "企业参照集团公务接待管理办法"),
    "jd10": ("党政机关国内公务接待管理规定", "2013", "第十条", "接待对象10人以内陪餐不超过3人；超过10人不超过三分之一；企业参照执行"),
    "jd7": ("党政机关国内公务接待管理规定", "2013", "第七条", "无公函的公务活动不予接待；企业参照执行"),
    "lj": ("国有企业领导人员廉洁从业若干规定", "2009", "", ""),
    "gzze": ("关于工资总额组成的规定", "1990", "第四条", "奖金、津贴补贴、加班加点工资等均计入工资总额"),
    "gzgl": ("中央企业工资总额管理办法（国资委令第39号）", "2018", "", ""),
    "xrjy": ("党政领导干部选拔任用工作条例", "2019年修订", "", "国有企业参照集团干部管理规定"),
    "ztzr": ("党委（党组）落实全面从严治党主体责任规定", "2020", "", ""),
    "zbtl": ("中国共产党支部工作条例（试行）", "2018", "", ""),
    "dfgd": ("关于中国共产党党费收缴、使用和管理的规定", "2008", "", ""),
    "dygl": ("中国共产党发展党员工作细则", "2014", "", ""),
    "zzgz": ("中国共产党国有企业基层组织工作条例（试行）", "2019", "", "党委前置研究讨论重大经营管理事项"),
    "sz": ("关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见", "2010", "", ""),
    "ysxt": ("党委（党组）意识形态工作责任制实施办法", "2015", "", ""),
    "kjf": ("中华人民共和国会计法", "2017年修正", "", ""),
    "grsds": ("中华人民共和国个人所得税法", "2018年修正", "", ""),
    "gzzc": ("中华人民共和国企业国有资产法", "2008", "", ""),
    "jy32": ("企业国有资产交易监督管理办法（国资委 财政部令第32号）", "2016", "", ""),
    "xs27": ("中国共产党巡视工作条例", "2015", "第二十七条", "被巡视党组织应在收到反馈意见后2个月内报送整改情况报告；2024年修订文本待核实"),
    "xs": ("中国共产党巡视工作条例", "2015", "", "2024年修订文本待核实"),
    "aqf": ("中华人民共和国安全生产法", "2021年修正", "", ""),
    "gsf": ("中华人民共和国公司法", "2023年修订", "", ""),
    "dagl": ("干部人事档案工作条例", "2018", "", ""),
    "grsx": ("领导干部报告个人有关事项规定", "2017", "", ""),
    "jz": ("关于规范国有企业领导人员兼职的规定", "", "", "以集团干部兼职管理规定为准"),
}

# Discipline by category, with per-subcategory overrides (DOMAIN.md §3 and
# data/labelled/README.md).
DISC = {
    "bidding": "work", "project_mgmt": "work", "procurement": "work", "payroll": "integrity",
    "eight_point": "integrity", "one_post_two_resp": "work", "personnel": "organizational",
    "political_leadership": "political", "party_building": "organizational", "finance": "work",
    "assets": "work", "integrity": "integrity", "rectification": "work", "other": "work",
}
DISC_SUB = {
    ("bidding", "interference"): "integrity",
    ("project_mgmt", "post_maintenance"): "none",
    ("eight_point", "formalism"): "work", ("eight_point", "perks_system_weak"): "work",
    ("political_leadership", "three_major_one_large"): "organizational",
    ("party_building", "party_role_weak"): "political",
    ("party_building", "formalism_in_party_work"): "work",
    ("party_building", "assessment_formalism"): "work",
    ("finance", "slush_fund"): "integrity", ("finance", "false_expenses"): "integrity",
    ("finance", "fund_misappropriation"): "integrity",
    ("assets", "asset_idle"): "none", ("other", "corporate_governance"): "none",
    ("other", "mass_discipline"): "mass",
}

FILES = {
    "bidding": ("工程招投标", "bidding"), "project_mgmt": ("工程项目管理", "project_mgmt"),
    "procurement": ("物资/服务采购", "procurement"), "payroll": ("薪酬与津补贴", "payroll"),
    "eight_point": ("中央八项规定精神/四风", "eight_point"),
    "one_post_two_resp": ("主体责任/一岗双责/监督责任", "one_post_two_resp"),
    "personnel": ("选人用人", "personnel"), "political_leadership": ("党的领导", "political_leadership"),
    "party_building": ("党的建设", "party_building"), "finance": ("财务/财经纪律", "finance"),
    "assets": ("国有资产/投资", "assets"), "integrity": ("廉洁从业/利益冲突", "integrity"),
    "rectification": ("整改落实", "rectification"), "other": ("其他", "other"),
}


def A(*terms):
    """Problem keywords that must occur outside a negation scope."""
    return "affirmed([" + ", ".join('"%s"' % t for t in terms) + "])"


def M(regex):
    return 'text.matches("%s")' % regex


def NM(regex):
    return '!text.matches("%s")' % regex


def AND(*xs):
    return " && ".join(xs)


# One row per rule:
# (category, subcategory, id suffix, title, when, nature, priority, basis keys,
#  example, near_miss, extra dict)
# extra: secondary=[(cat, sub)], confidence, needs_review, discipline, score,
#        example_disposition, description, tags
R = []


def rule(cat, sub, suffix, title, when, nature, prio, basis, example, near, **extra):
    R.append((cat, sub, suffix, title, when, nature, prio, basis, example, near, extra))


# The rule tables live in gen_default_rules_table.py to keep this file short.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_default_rules_table as table  # noqa: E402

table.define(rule, A, M, NM, AND, N, LEADER)


def q(s):
    """Text-format string literal (double quotes)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qw(s):
    """A `when` literal: single-quoted so the CEL double quotes read plainly."""
    assert "'" not in s, s
    return "'" + s.replace("\\", "\\\\") + "'"


# Design note: long alternations are split. A pattern like 围猎|称兄道弟|老板[^。]{0,10}(安排|…)|
# 接受[^。]{0,30}安排的…|… (dozens of gap branches) compiles to one RE2 program of ~20,000
# instructions whose DFA keeps a counter per open branch: on a Chinese sentence it meets a new
# state at almost every byte, so one search costs ~70 µs — NFA speed — whatever the memory
# budget. text.matches("A|B|C") is true iff one of A, B, C matches, so the generator writes it as
# (text.matches("A|B") || text.matches("C")): chunks of a few branches, each a small DFA with its
# own required literals, which the engine's prefilter skips when they do not occur.
SPLIT_MIN_CHARS = 160   # patterns shorter than this stay whole
SPLIT_CHUNK_CHARS = 120  # branches are grouped up to about this many characters


def top_level_branches(rx):
    """The top-level alternatives of a regex, or [rx] when it has none (or is not simple)."""
    out, depth, cls, cur, i = [], 0, False, [], 0
    while i < len(rx):
        c = rx[i]
        if c == "\\" and i + 1 < len(rx):
            cur.append(rx[i:i + 2])
            i += 2
            continue
        if cls:
            if c == "]":
                cls = False
        elif c == "[":
            cls = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    out.append("".join(cur))
    if depth != 0 or cls or any(b == "" or b.startswith(("^", "*", "+", "?", "{")) or "$" in b for b in out):
        return [rx]
    return out


def split_matches(when):
    """Rewrites long text.matches("A|B|…") calls of a condition as ORs of shorter ones."""
    def repl(m):
        neg, rx = m.group(1), m.group(2)
        if len(rx) < SPLIT_MIN_CHARS:
            return m.group(0)
        branches = top_level_branches(rx)
        if len(branches) < 2:
            return m.group(0)
        chunks, cur = [], []
        for b in branches:
            if cur and sum(len(x) for x in cur) + len(b) > SPLIT_CHUNK_CHARS:
                chunks.append(cur)
                cur = []
            cur.append(b)
        chunks.append(cur)
        if len(chunks) < 2:
            return m.group(0)
        ors = " || ".join('text.matches("%s")' % "|".join(c) for c in chunks)
        return "%s(%s)" % (neg, ors)
    return re.sub(r'(!?)text\.matches\("((?:[^"\\]|\\.)*)"\)', repl, when)


# (…人员未发现 / 审核未发现 / 验收未发现 state a failure to notice: not compliance.)
NOT_COMPLIANCE = ('!text.matches("^[^。；;但却]*([^员核收位题况中]未发现[^。；;、即就便而仍却]|[^员核收位题况中]没有发现[^。；;、即就便而仍却]|没有看到|均已按规定|均按规定|均已依法|'
                  '均依法|程序合规|总体良好|整改资料齐全|已全部腾退|与台账一致)[^。；;但却]*。?$")')
# …and one whose last clause is a positive verdict (…符合规定。…无涂改情况。
# …不存在损失。…已闭环。…没有反映…问题。), again without a contrast.
# …and one sentence that states compliance in words the cues above miss:
# a denial closing a clause (不存在先施工后招标的情形，抽查的…), colloquial
# verdicts (没发现啥问题, 没啥问题, 挺规范的, 都对得上), a reconciliation
# (账、卡、物一致, 实配数与核定数一致), a rectification done (已…整改到位, not
# 未/没有整改到位), a matter reported beforehand (婚宴已事前向组织报告), a
# limit kept (未突破集团核定额度 at a clause's end, 未扩大建设规模, 未提高装修标准,
# 控制在核定额度以内, 均在批复的职数之内), no dealings at all (未发生任何业务往来), a
# procedure found sound (程序无误), a problem not found again (问题未再出现), stock that
# matches the books (与账面一致). (Round 8; round 9: 薪酬发放无误, 无任何业务关系,
# 无直接或间接交易.)
# (Round-4 to -6 dev phrasings; not 报价高度一致 or 笔迹一致, which are signs of collusion.)
NOT_COMPLIANCE += (' && !text.matches("^[^。；;但却]*(不存在[^。，；]{0,30}(情形|问题|现象|情况)[，。；]|没有[^。，；]{0,12}(情形|事项)[，。；]|均按[^。，；]{0,12}执行|均已落实|[^员核收位题况中]没发现[^。；;、即就便而仍却]'
                   '|没(啥|什么)问题|挺(规范|干净)|都对得上|(账实|账卡物|账、卡、物|账账|账表)(相符|一致)'
                   '|与(核定数|实际|台账|记录|合同约定|登记|设计图纸|图纸)(完全|基本)?(一致|相符)|(^|[^未没有不])(整改|落实)到位'
                   '|已(事前|事先|提前|按规定)向[^。，；]{0,6}(报告|报备)'
                   '|未(突破|超出|超过)[^。，；]{0,12}(核定|额度|标准|预算|总额|上限|范围)[^。，；]{0,4}([，。；]|$)|未扩大[^。，；]{0,6}(规模|面积|范围)|未提高[^。，；]{0,6}标准'
                   '|控制在[^。，；]{0,4}(核定|批复|预算|计划|规定)[^。，；]{0,8}(以内|之内|范围内)|(均|都)在[^。，；]{0,14}(范围|标准|职数|额度|预算|限额)(内|以内|之内)'
                   '|(没有|未发生|无)任何[^。，；]{0,10}(往来|关系|交易)|无直接或间接[^。，；]{0,4}(交易|往来|关系)|(程序|发放|手续|账务|金额)无误|(问题|情况|现象)未再(出现|发生)|未再(发现|出现|发生)[^。，；]{0,20}(问题|情况|现象)[。；]?$'
                   '|与账面(数|记录)?(完全|基本)?(一致|相符))[^。；;但却]*。?$")')
# …and an interview quote that praises (“现在管得严了”“挺好的”).
NOT_COMPLIANCE += (' && !text.matches("^[^。；;但却]*“[^”]*(管得严|管得很严|挺好|很好|满意|很规范)[^”]*”[^。；;但却]*。?$")')
# (…unless that verdict is itself negated a few characters back: 未统一规范, 不够规范.)
NOT_COMPLIANCE += (' && (text.matches("(未|没有|不够|不)[^。，；不没未]{1,8}(符合(标准|规定|要求)|齐全|完整|规范|合规)[^。，；]{0,4}。?$")'
                   ' || !text.matches("^[^。；;但却]*([^不没未符](符合(标准|规定|要求)|齐全|完整|规范|满意|较好|良好|合规)'
                   '|完备|已闭环|无[^法。，；][^。，；]{0,7}(情况|现象)|不存在[^。，；]{0,16}|没有[^。，；]{0,12}(问题|现象|情况)'
                   '|未见[^。，；]{0,24}(交易|往来|现象|情况|作业|问题|行为|情形|支出)|(均在|在)[^。，；]{0,10}(范围|标准)(内|以内))[^。，；]{0,4}。?$"))')

# Basis for rules whose table row names none (the fallbacks).
DEFAULT_BASIS = {
    "bidding": ["ztb"], "procurement": ["cg"], "project_mgmt": ["jlcf"], "payroll": ["lj"],
    "eight_point": ["bxgd"], "personnel": ["xrjy"], "political_leadership": ["jlcf"],
    "party_building": ["zbtl"], "finance": ["kjf"], "assets": ["gzzc"], "integrity": ["lj"],
    "one_post_two_resp": ["ztzr"], "rectification": ["xs"], "other": ["jlcf"],
}

DISPO = {"general": "rectify_now", "incipient": "rectify_now", "tendency": "rectify_by_deadline",
         "widespread": "rectify_by_deadline", "concentrated": "rectify_by_deadline",
         "lead": "transfer_lead"}


def emit_rule(out, row):
    cat, sub, suffix, title, when, nature, prio, basis, example, near, extra = row
    rid = "%s.%s%s" % (cat, sub, ("." + suffix) if suffix else "")
    disc = extra.get("discipline") or DISC_SUB.get((cat, sub)) or DISC[cat]
    out.append("rule {")
    out.append("  id: %s" % q(rid))
    out.append("  title: %s" % q(title))
    if extra.get("description"):
        out.append("  description: %s" % q(extra["description"]))
    out.append("  stage: %s" % q(extra.get("stage", "classify")))
    if "cleared" not in extra.get("tags", []):
        # A one-sentence statement of compliance (…均已按规定…，未发现问题。)
        # without a contrast (但/却) is not a finding, whatever topic words
        # stand before the cue.
        # Every `when` of the tables is a conjunction, so no parentheses.
        when = "%s && %s" % (when, NOT_COMPLIANCE)
    out.append("  when: %s" % qw(split_matches(when)))
    out.append("  category: %s  subcategory: %s" % (q(cat), q(sub)))
    for sc, ss in extra.get("secondary", []):
        out.append("  secondary { category: %s subcategory: %s }" % (q(sc), q(ss)))
    out.append("  discipline: %s" % q(disc))
    if nature:
        out.append("  nature: %s" % q(nature))
    if extra.get("disposition"):
        out.append("  disposition: %s" % q(extra["disposition"]))
    if not basis and cat in DEFAULT_BASIS:
        basis = DEFAULT_BASIS[cat]
    for k in basis:
        reg, ver, art, note = B[k]
        parts = ["regulation: %s" % q(reg)]
        if ver:
            parts.append("version: %s" % q(ver))
        if art:
            parts.append("article: %s" % q(art))
        if note:
            parts.append("note: %s" % q(note))
        out.append("  basis { " + " ".join(parts) + " }")
    out.append("  score: %s" % extra.get("score", 0.8))
    out.append("  priority: %d" % prio)
    for t in extra.get("tags", []):
        out.append("  tags: %s" % q(t))
    if extra.get("confidence"):
        out.append("  confidence: %s" % extra["confidence"])
    if extra.get("needs_review"):
        out.append("  needs_review: true")
    for w in extra.get("allow_warnings", []):
        out.append("  allow_warnings: %s" % q(w))
    exs = example if isinstance(example, list) else [example]
    for ex in exs:
        # An example may be (text, disposition): the set's conclusion for
        # that wording differs from the rule's nature (the dispose stage's
        # signal rules or the text model read the wording otherwise).
        ex, own = ex if isinstance(ex, tuple) else (ex, None)
        ex_cat, ex_sub = extra.get("expect", (cat, sub))
        line = "  examples { text: %s expect_category: %s expect_subcategory: %s" % (
            q(ex), q(ex_cat), q(ex_sub))
        d = own or extra.get("example_disposition", DISPO.get(nature) if nature and "expect" not in extra else None)
        if d:
            line += " expect_disposition: %s" % q(d)
        out.append(line + " }")
    nears = near if isinstance(near, list) else [near]
    for nm in nears:
        out.append("  near_misses { text: %s }" % q(nm))
    out.append("}")
    out.append("")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "rules", "default")
    os.makedirs(outdir, exist_ok=True)
    by_cat = {}
    for row in R:
        by_cat.setdefault(row[0], []).append(row)
    for cat, (cname, fname) in FILES.items():
        out = ["# 默认规则集 · %s（%s）" % (cname, cat),
               "# GENERATED by tools/gen_default_rules.py from tools/gen_default_rules_table.py:",
               "# edit the table there and regenerate. Conditions use affirmed()",
               "# for problem words, so statements of compliance (未发现…、均已按规定…、",
               "# 经核实不属实) do not classify. Priorities: specific rules above generic",
               "# ones; see rules/README.md.", ""]
        ids = set()
        for row in by_cat.get(cat, []):
            emit_rule(out, row)
        with open(os.path.join(outdir, fname + ".textproto"), "w", encoding="utf-8") as f:
            f.write("\n".join(out))
    out = ["# 默认规则集 · 共用词表",
           "# GENERATED by tools/gen_default_rules.py from the LEXICONS of",
           "# tools/gen_default_rules_table.py. The hand-written lexicons are in set.textproto.", ""]
    for name, desc, terms in table.LEXICONS:
        out.append("lexicon {")
        out.append("  name: %s" % q(name))
        out.append("  description: %s" % q(desc))
        line, lines = [], []
        for t in terms:
            line.append(q(t))
            if sum(len(x) for x in line) > 70:
                lines.append(", ".join(line))
                line = []
        if line:
            lines.append(", ".join(line))
        out.append("  terms: [" + (",\n          ".join(lines)) + "]")
        out.append("}")
        out.append("")
    with open(os.path.join(outdir, "lexicons.textproto"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    print("rules:", len(R))


if __name__ == "__main__":
    main()
