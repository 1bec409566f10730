#!/usr/bin/python3
"""Generates xuncha's invented sample inspection data and labelled corpus.

Everything written here is fictitious: companies (A电力公司 …), people (王某 …),
suppliers and amounts. The phrasing templates live beside this script in
gen_data_templates.txt (format described in its header).

Outputs (JSON Lines, protobuf JSON mapping of proto/xuncha/v1):
  data/sample/units.jsonl                 Unit
  data/sample/round-2025-1.jsonl          Finding (the main job's input)
  data/sample/round-2025-1.truth.jsonl    what each 2025-1 finding is (label + patterns)
  data/sample/round-2024-2.jsonl          Finding (the previous round)
  data/sample/round-2024-2.labels.jsonl   category/subcategory/state per previous finding
  data/sample/unit-self-check.jsonl       Finding (unit side of the back-to-back check)
  data/sample/reconcile-truth.jsonl       true inspector <-> unit alignment
  data/labelled/tune.jsonl                LabelledFinding, pool A phrasing
  data/labelled/heldout.jsonl             LabelledFinding, pool B phrasing only

Deterministic: standard library only, fixed seeds; same script -> same bytes.
Usage: /usr/bin/python3 tools/gen_data.py [--out DIR]   (DIR defaults to the repo root)
"""

import argparse
import collections
import hashlib
import json
import math
import os
import random
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TEMPLATES = os.path.join(HERE, "gen_data_templates.txt")
DEV_TEMPLATES = os.path.join(HERE, "dev_templates")
VAL_TEMPLATES = os.path.join(HERE, "val_templates")

# --------------------------------------------------------------------------
# Units of the invented group.

UNITS = [
    # id, name, short (as written in findings), parent, kind, business_line, headcount
    ("U01", "某某集团有限公司集团本部", "集团本部", "", "group", "综合", 420),
    ("U02", "集团本部财务资产部", "财务资产部", "U01", "department", "金融", 38),
    ("U03", "集团本部人力资源部", "人力资源部", "U01", "department", "综合", 26),
    ("U04", "集团本部物资采购中心", "物资采购中心", "U01", "department", "物流", 45),
    ("U05", "A电力有限公司", "A电力公司", "U01", "subsidiary", "电力", 1260),
    ("U06", "A电力有限公司检修分公司", "检修分公司", "U05", "branch", "电力", 380),
    ("U07", "B物流有限公司", "B物流公司", "U01", "subsidiary", "物流", 860),
    ("U08", "B物流有限公司华东分公司", "华东分公司", "U07", "branch", "物流", 210),
    ("U09", "C建设工程有限公司", "C建设公司", "U01", "subsidiary", "建设", 1540),
    ("U10", "C建设工程有限公司城南安置房项目部", "城南安置房项目部", "U09", "project", "建设", 95),
    ("U11", "C建设工程有限公司港区道路改扩建项目部", "港区道路项目部", "U09", "project", "建设", 120),
    ("U12", "D金融服务有限公司", "D金融公司", "U01", "subsidiary", "金融", 310),
    ("U13", "E新能源有限公司", "E新能源公司", "U01", "subsidiary", "电力", 640),
    ("U14", "E新能源有限公司西北分公司", "西北分公司", "U13", "branch", "电力", 170),
    ("U15", "F置业有限公司", "F置业公司", "U01", "subsidiary", "建设", 280),
    ("U16", "G供应链管理有限公司", "G供应链公司", "U01", "subsidiary", "物流", 230),
]
# Extra invented units used only by the labelled corpus.
LABEL_UNITS = UNITS + [
    ("U21", "H能源有限公司", "H公司", "", "subsidiary", "电力", 900),
    ("U22", "J港务有限公司", "J公司", "", "subsidiary", "物流", 720),
    ("U23", "K投资有限公司", "K公司", "", "subsidiary", "金融", 150),
    ("U24", "M建设工程有限公司新区学校项目部", "新区学校项目部", "", "project", "建设", 60),
    ("U25", "N检测技术有限公司", "N公司", "", "subsidiary", "电力", 240),
    ("U26", "P后勤服务中心", "后勤服务中心", "", "department", "综合", 85),
    ("U27", "Q贸易有限公司华南分公司", "华南分公司", "", "branch", "物流", 130),
]
LABEL_ROUNDS = [("2024-1", ((2024, 3, 4), (2024, 6, 14)), [2021, 2022, 2023]),
                ("2024-2", ((2024, 9, 2), (2024, 11, 22)), [2022, 2023]),
                ("2025-1", ((2025, 3, 3), (2025, 6, 13)), [2023, 2024])]
TEAMS = ["第一巡察组", "第二巡察组", "第三巡察组", "第四巡察组"]


def unit_json(u):
    d = {"id": u[0], "name": u[1]}
    if u[3]:
        d["parent_id"] = u[3]
    d["kind"] = u[4]
    d["business_line"] = u[5]
    d["headcount"] = u[6]
    return d


# --------------------------------------------------------------------------
# Counterparties. Some appear under several spellings on purpose.

def uscc(name):
    h = hashlib.sha256(name.encode("utf-8")).hexdigest().upper()
    alnum = "".join(c for c in h if c in "0123456789ABCDEFGHJKLMNPQRTUWXY")
    return "91" + str(int(h[:8], 16) % 900000 + 100000) + "MA" + alnum[:8]


CONTRACTORS = [
    ("华信建设有限公司", ["华信建设有限公司", "华信建设有限责任公司", "华信建设 有限公司",
                   "华信建设\u3000有限公司"], 4),
    ("宏远市政工程有限公司", ["宏远市政工程有限公司"], 1),
    ("鼎盛建筑劳务有限公司", ["鼎盛建筑劳务有限公司", "鼎盛建筑劳务有限责任公司"], 1),
    ("联拓装饰工程有限公司", ["联拓装饰工程有限公司"], 1),
    ("恒基路桥工程有限公司", ["恒基路桥工程有限公司"], 1),
    ("金石土石方工程有限公司", ["金石土石方工程有限公司"], 1),
]
SUPPLIERS = [
    ("恒通（北京）物资贸易有限公司", ["恒通（北京）物资贸易有限公司", "恒通(北京)物资贸易有限公司",
                         "恒通(北京)物资贸易有限责任公司"], 3),
    ("宏达IT服务有限公司", ["宏达IT服务有限公司", "宏达ＩＴ服务有限公司", "宏达it服务有限公司"], 2),
    ("瑞丰劳保用品有限公司", ["瑞丰劳保用品有限公司"], 1),
    ("佳禾办公设备有限公司", ["佳禾办公设备有限公司"], 1),
    ("中泰电气设备有限公司", ["中泰电气设备有限公司"], 1),
    ("安捷检测仪器有限公司", ["安捷检测仪器有限公司"], 1),
    ("百川石化贸易有限公司", ["百川石化贸易有限公司"], 1),
    ("德润物业服务有限公司", ["德润物业服务有限公司"], 1),
    ("广源商贸有限公司", ["广源商贸有限公司"], 1),
    ("云图信息咨询有限公司", ["云图信息咨询有限公司"], 1),
    ("顺达汽车租赁有限公司", ["顺达汽车租赁有限公司"], 1),
    ("华建工程监理有限公司", ["华建工程监理有限公司"], 1),
    ("远景建筑设计院有限公司", ["远景建筑设计院有限公司"], 1),
    ("安居房地产营销策划有限公司", ["安居房地产营销策划有限公司"], 1),
    ("博远管理咨询有限公司", ["博远管理咨询有限公司"], 1),
]
# What each supplier sells, so that "向{sup}采购{item}" reads right.
SUPPLIER_GOODS = {
    "恒通（北京）物资贸易有限公司": {"劳保用品", "办公家具", "电力电缆", "备品备件", "计算机及外设",
                         "绝缘工器具", "检测仪器", "消防器材", "润滑油", "办公耗材", "车辆轮胎",
                         "视频监控设备"},
    "宏达IT服务有限公司": {"计算机及外设", "视频监控设备", "软件运维服务"},
    "瑞丰劳保用品有限公司": {"劳保用品", "消防器材"},
    "佳禾办公设备有限公司": {"办公家具", "办公耗材", "计算机及外设"},
    "中泰电气设备有限公司": {"电力电缆", "备品备件", "绝缘工器具", "视频监控设备"},
    "安捷检测仪器有限公司": {"检测仪器", "绝缘工器具"},
    "百川石化贸易有限公司": {"润滑油", "车辆轮胎"},
    "德润物业服务有限公司": {"物业服务", "保洁服务", "安保服务", "食堂托管服务"},
    "广源商贸有限公司": {"劳保用品", "办公耗材", "消防器材", "车辆轮胎", "办公家具"},
    "云图信息咨询有限公司": {"审计咨询服务", "软件运维服务"},
    "顺达汽车租赁有限公司": {"车辆租赁服务"},
    "华建工程监理有限公司": {"工程监理服务"},
    "远景建筑设计院有限公司": {"工程设计服务"},
    "安居房地产营销策划有限公司": {"商品房包销"},
    "博远管理咨询有限公司": {"管理咨询"},
}
GOODS_SUPPLIERS = {k for k, v in SUPPLIER_GOODS.items() if v & set(
    ["劳保用品", "办公家具", "电力电缆", "备品备件", "计算机及外设", "绝缘工器具", "检测仪器",
     "消防器材", "润滑油", "办公耗材", "车辆轮胎", "视频监控设备"])}
AGENTS = [("诚达招标代理有限公司", ["诚达招标代理有限公司"], 1),
          ("正衡工程咨询有限公司", ["正衡工程咨询有限公司"], 1)]
PERSONS = ["王某", "李某某", "刘某", "陈某", "张某某", "赵某", "孙某", "周某某", "吴某", "郑某",
           "冯某", "何某", "马某某", "朱某"]
LEADS = ["总经理", "党委书记", "分管工程的副总经理", "副总经理", "总会计师", "董事长"]
POSITIONS = ["综合部主任", "采购部经理", "工程部副经理", "财务部经理", "项目经理", "办公室主任",
             "人力资源部经理", "物资部主任", "安全监察部经理"]
ROADS = ["厂区道路修补工程", "港区堆场硬化工程", "光伏电站场区道路工程", "物流园区道路改造工程",
         "安置房小区室外配套工程", "办公区停车场改造工程"]
BUILDINGS = ["办公楼外立面改造工程", "职工食堂装修工程", "生产调度楼维修工程", "综合楼改扩建工程",
             "仓储库房扩建工程", "员工宿舍楼加固工程"]
# A project department writes about its own project.
PROJECT_OF = {
    "U10": {"proj": "城南安置房工程", "bldg": "城南安置房工程", "road": "城南安置房小区室外道路工程"},
    "U11": {"proj": "港区道路改扩建工程", "road": "港区道路改扩建工程"},
    "U24": {"proj": "新区学校工程", "bldg": "新区学校教学楼工程", "road": "新区学校室外配套工程"},
}
LEADS_BY_KIND = {"branch": ["总经理", "副总经理", "党委书记", "分管工程的副总经理"]}
POSITIONS_BY_KIND = {"department": ["副主任", "业务主管", "高级经理"],
                     "project": ["项目经理", "项目副经理", "材料员", "技术负责人"]}
# Works projects by business line (a logistics company does not build a power substation).
GENERIC_PROJECTS = ["办公楼外立面改造工程", "职工食堂装修工程", "机关办公楼空调更换工程",
                    "综合楼电梯更新工程", "员工宿舍楼加固工程"]
LINE_PROJECTS = {
    "电力": ["变电站围墙加固工程", "光伏电站场区道路工程", "生产调度楼维修工程", "厂区道路修补工程"],
    "物流": ["仓储库房屋面防水工程", "港区堆场硬化工程", "物流园区消防改造工程", "物流园区道路改造工程",
           "仓储库房扩建工程"],
    "建设": ["安置房小区绿化工程", "安置房小区室外配套工程", "综合楼改扩建工程", "厂区道路修补工程"],
}
PROJECTS = GENERIC_PROJECTS + sorted({p for ps in LINE_PROJECTS.values() for p in ps})
ITEMS = ["劳保用品", "办公家具", "电力电缆", "备品备件", "计算机及外设", "绝缘工器具", "检测仪器",
         "消防器材", "润滑油", "办公耗材", "车辆轮胎", "视频监控设备"]
SERVICES = ["物业服务", "保洁服务", "安保服务", "软件运维服务", "车辆租赁服务", "审计咨询服务",
            "工程设计服务", "工程监理服务", "食堂托管服务"]

CP_KIND = {"con": "COUNTERPARTY_KIND_CONTRACTOR", "sup": "COUNTERPARTY_KIND_SUPPLIER",
           "agent": "COUNTERPARTY_KIND_AGENT", "per": "COUNTERPARTY_KIND_PERSON"}

SOURCE = {"doc": "SOURCE_KIND_DOCUMENT_REVIEW", "int": "SOURCE_KIND_INTERVIEW",
          "site": "SOURCE_KIND_SITE_VISIT", "self": "SOURCE_KIND_SELF_CHECK",
          "pet": "SOURCE_KIND_PETITION", "aud": "SOURCE_KIND_AUDIT"}

# --------------------------------------------------------------------------
# Chinese numerals and amounts.

CN_DIGITS = "零一二三四五六七八九"


def cn_small(n):
    """0 < n < 10000 in Chinese numerals."""
    out = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    started = False
    for value, name in units:
        d = n // value % 10
        if d == 0:
            if started:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(CN_DIGITS[d] + name)
        started = True
    s = "".join(out)
    if s.startswith("一十"):
        s = s[1:]
    if s.startswith("二千"):
        s = "两" + s[1:]
    return s


def cn_int(n):
    assert 0 < n < 100000000, n
    hi, lo = divmod(n, 10000)
    if hi == 0:
        return cn_small(lo)
    s = "两" if hi == 2 else cn_small(hi)
    s += "万"
    if lo:
        s += ("零" if lo < 1000 else "") + cn_small(lo)
    return s


def fmt_dec(x, places):
    s = ("%." + str(places) + "f") % x
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def render_amount(rng, lo, hi):
    """Returns (text, yuan) with text in one of the usual notations."""
    v = rng.uniform(lo, hi)
    if v >= 1e8:
        form = rng.choice(["yi1", "yi2", "wan"])
        if form == "yi1":
            x = round(v / 1e8, 1)
            return fmt_dec(x, 1) + "亿元", int(round(x * 1e8))
        if form == "yi2":
            x = round(v / 1e8, 2)
            return fmt_dec(x, 2) + "亿元", int(round(x * 1e8))
        w = int(round(v / 1e4))
        return "%d万元" % w, w * 10000
    if v >= 1e6:
        form = rng.choices(["wan", "wan1", "approx", "over", "cn", "comma"],
                           [5, 2, 1, 1, 1, 1])[0]
        w = int(round(v / 1e4))
        if form == "wan":
            return "%d万元" % w, w * 10000
        if form == "wan1":
            x = round(v / 1e4, 1)
            return fmt_dec(x, 1) + "万元", int(round(x * 1e4))
        if form == "approx":
            w = int(round(v / 1e5)) * 10
            return "约%d万元" % w, w * 10000
        if form == "over":
            return "%d万余元" % w, w * 10000
        if form == "cn":
            w = int(round(v / 1e5)) * 10
            return cn_int(w) + "万元", w * 10000
        y = int(round(v / 100)) * 100
        return "{:,}元".format(y), y
    if v >= 1e4:
        form = rng.choices(["wan1", "wan2", "wan_bare", "comma", "plain", "cn", "wan"],
                           [4, 2, 2, 2, 1, 2, 2])[0]
        if form == "wan1":
            x = round(v / 1e4, 1)
            return fmt_dec(x, 1) + "万元", int(round(x * 1e4))
        if form == "wan2":
            x = round(v / 1e4, 2)
            return fmt_dec(x, 2) + "万元", int(round(x * 1e4))
        if form == "wan_bare":
            x = round(v / 1e4, 1)
            return fmt_dec(x, 1) + "万", int(round(x * 1e4))
        if form == "comma":
            y = int(round(v / 100)) * 100
            return "{:,}元".format(y), y
        if form == "plain":
            y = int(round(v / 10)) * 10
            return "%d元" % y, y
        if form == "cn":
            if v >= 1e5:
                w = int(round(v / 1e4))
                return cn_int(w) + "万元", w * 10000
            y = int(round(v / 1000)) * 1000
            return cn_int(y) + "元", y
        w = int(round(v / 1e4))
        return "%d万元" % w, w * 10000
    form = rng.choices(["comma", "plain", "cn", "wan"], [4, 3, 2, 1])[0]
    y = int(round(v / 100)) * 100 if v >= 1000 else int(round(v / 10)) * 10
    y = max(y, 10)
    if form == "comma":
        return "{:,}元".format(y), y
    if form == "plain":
        return "%d元" % y, y
    if form == "cn":
        return cn_int(y) + "元", y
    if y >= 1000:
        return fmt_dec(y / 1e4, 2) + "万元", y
    return "%d元" % y, y


def wan_text(yuan):
    return fmt_dec(yuan / 1e4, 1) + "万元"


def parse_money(spec):
    spec = spec.strip()
    mult = 1
    if spec.endswith("w"):
        mult, spec = 10000, spec[:-1]
    elif spec.endswith("e"):
        mult, spec = 100000000, spec[:-1]
    return float(spec) * mult


FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789"}
UNFULLWIDTH = {ord(v): k for k, v in FULLWIDTH.items()}
UNFULLWIDTH[0xFF0E] = "."


def to_fullwidth_digits(s):
    # Full-width text writes no thousands separators; a decimal point becomes '．'.
    s = re.sub(r"(?<=\d),(?=\d{3})", "", s)
    s = re.sub(r"(?<=\d)\.(?=\d)", "\uff0e", s)
    return "".join(FULLWIDTH.get(c, c) for c in s)


# --------------------------------------------------------------------------
# Templates.

class Template:
    def __init__(self, section, pool, src, text, keys, lineno):
        self.section = section            # "cat/sub" or "none"
        self.pool = pool
        self.src = src
        self.text = text
        self.keys = keys
        self.lineno = lineno
        self.neg = keys.get("neg") == "1" or section == "none"
        if section == "none":
            self.primary = ""
        else:
            self.primary = keys.get("p", section)
        sec = []
        if self.primary != section and section != "none":
            sec.append(section)
        for s in keys.get("s", "").split(","):
            if s and s not in sec and s != self.primary:
                sec.append(s)
        self.secondary = sec if not self.neg else []
        # The earlier problem the text says recurs, if it names one.
        self.prior = keys.get("prior") or (keys.get("p") if section == "rectification/recurrence"
                                           else None)

    @property
    def group(self):
        return ("neg:" if self.neg else "") + (self.primary or "none")


def parse_keys(s):
    out = {}
    for tok in s.split():
        k, _, v = tok.partition("=")
        out[k] = v
    return out


def load_templates(path, pools=("A", "B")):
    templates = []
    section, defaults = None, {}
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or (line.startswith("#") and not line.startswith("## ")):
                continue
            if line.startswith("## "):
                parts = line[3:].split()
                section, defaults = parts[0], parse_keys(" ".join(parts[1:]))
                continue
            body, _, extra = line.partition(" || ")
            pool, src, text = body.split(" ", 2)
            if pool not in pools or src not in SOURCE:
                sys.exit("%s:%d: bad pool/source" % (path, lineno))
            keys = dict(defaults)
            keys.update(parse_keys(extra))
            templates.append(Template(section, pool, src, text.strip(), keys, lineno))
    return templates


SLOT = re.compile(r"\{([a-z]+)(\d*)(?::([^}]*))?\}")


class Filler:
    """Fills the slots of one finding; remembers values so a slot named twice repeats."""

    def __init__(self, rng, unit, years, cp_bias=None):
        self.rng = rng
        self.unit = unit
        self.years = years
        self.vals = {}
        self.amounts = {}
        self.cps = []
        self.cp_bias = cp_bias or {}

    def pick_entity(self, kind, name):
        table = {"con": CONTRACTORS, "sup": SUPPLIERS, "agent": AGENTS}[kind]
        used = {v for k, v in self.vals.items() if k.startswith(kind)}
        if name in self.cp_bias:
            canon, variant = self.cp_bias[name]
            entry = next(e for e in table if e[0] == canon)
        else:
            goods = self.vals.get("item") or self.vals.get("svc")
            # A supplier sells what the text buys; with nothing named, a goods supplier.
            cands = [e for e in table if e[0] not in used and
                     (kind != "sup" or (goods in SUPPLIER_GOODS[e[0]] if goods
                                        else e[0] in GOODS_SUPPLIERS))]
            entry = self.rng.choices(cands, [e[2] for e in cands])[0]
            variant = self.rng.choice(entry[1])
        cp = {"name": variant, "kind": CP_KIND[kind]}
        if self.rng.random() < 0.5:
            cp["id"] = uscc(entry[0])
        self.cps.append(cp)
        self.vals[name] = entry[0]
        return variant

    def make_parts(self, limit):
        """Splits a total above `limit` into 3-4 parts each below it; returns their text."""
        r = self.rng
        k = r.randint(3, 4)
        while True:
            total = limit * r.uniform(1.05, 1.6)
            w = [r.uniform(0.7, 1.3) for _ in range(k)]
            parts = [int(round(total * x / sum(w) / 1e4)) * 10000 for x in w]
            if all(p < limit for p in parts) and sum(parts) > limit:
                break
        texts = [wan_text(p) for p in parts]
        self.amounts["sum"] = sum(parts)
        self.vals["sum"] = wan_text(sum(parts))
        self.vals["k"] = cn_int(k)
        return "、".join(texts[:-1]) + "和" + texts[-1]

    def fill(self, text):
        def sub(m):
            base, num, spec = m.group(1), m.group(2), m.group(3)
            name = base + num
            if spec is None and name in self.vals and base not in ("con", "sup", "agent"):
                return self.vals[name]
            if spec is None and name + "#text" in self.vals:
                return self.vals[name + "#text"]
            r = self.rng
            if base == "u":
                out = self.unit[2]
            elif base == "y":
                out = str(self.years[0])
                self.vals["y#int"] = self.years[0]
            elif base == "yp":
                out = str(int(self.vals.get("y", self.years[0])) - 1)
            elif base == "yn":
                out = str(int(self.vals.get("y", self.years[0])) + 1)
            elif base in ("n", "cn", "m"):
                lo, hi = (spec or "1:12").split(":")
                v = r.randint(int(lo), int(hi))
                if name == "m":
                    self.vals["m#int"] = v
                if base == "cn":
                    out = "两" if v == 2 else cn_int(v)
                else:
                    out = str(v)
            elif base == "a":
                lo, hi = spec.split(":")
                out, yuan = render_amount(r, parse_money(lo), parse_money(hi))
                self.amounts[name] = yuan
            elif base == "parts" and "parts" in self.vals:
                return self.vals["parts"]
            elif base == "parts":
                out = self.make_parts(int(parse_money(spec)))
            elif base in ("sum", "k"):
                if base not in self.vals:
                    # {k}/{sum} without listed parts: under the tender limit of works.
                    self.make_parts(4000000)
                return self.vals[base]
            elif base in ("con", "sup", "agent"):
                if spec is None and name in self.vals:
                    # Same entity again: repeat the spelling used first.
                    return self.vals[name + "#text"]
                out = self.pick_entity(base, name)
                self.vals[name + "#text"] = out
                return out
            elif base == "per":
                used = {v for k, v in self.vals.items() if k.startswith("per")}
                out = r.choice([p for p in PERSONS if p not in used])
                self.cps.append({"name": out, "kind": CP_KIND["per"]})
            elif base == "lead":
                out = r.choice(LEADS_BY_KIND.get(self.unit[4], LEADS))
            elif base == "pos":
                out = r.choice(POSITIONS_BY_KIND.get(self.unit[4], POSITIONS))
            elif base in ("proj", "road", "bldg"):
                own = PROJECT_OF.get(self.unit[0], {})
                line = LINE_PROJECTS.get(self.unit[5], [])
                pool = {"proj": GENERIC_PROJECTS + line,
                        "road": [x for x in line if x in ROADS] or ["办公区停车场改造工程"],
                        "bldg": [x for x in GENERIC_PROJECTS + line if x in BUILDINGS]}[base]
                if base in own:
                    out = own[base]
                else:
                    out = r.choice(pool)
                self.vals["proj"] = out
            elif base == "item":
                out = r.choice(ITEMS)
            elif base == "svc":
                out = r.choice(SERVICES)
            else:
                raise ValueError("unknown slot " + m.group(0))
            self.vals[name] = out
            return out

        # Goods first (suppliers are picked to match them), and split parts
        # (their count {k} may be written before them).
        for m in SLOT.finditer(text):
            if m.group(1) in ("item", "svc") and m.group(1) + m.group(2) not in self.vals:
                sub(m)
            if m.group(1) == "parts":
                self.vals["parts"] = sub(m)
        return SLOT.sub(sub, text)

    def amount(self):
        if "sum" in self.amounts:
            return self.amounts["sum"]
        return self.amounts.get("a")


# --------------------------------------------------------------------------
# Labels (DOMAIN.md §3).

DISC_BY_CATEGORY = {
    "bidding": "work", "project_mgmt": "work", "procurement": "work", "payroll": "integrity",
    "eight_point": "integrity", "one_post_two_resp": "work", "personnel": "organizational",
    "political_leadership": "political", "party_building": "organizational",
    "finance": "work", "assets": "work", "integrity": "integrity", "rectification": "work",
    "other": "work",
}
DISC_BY_SUB = {
    "bidding/interference": "integrity",
    "eight_point/formalism": "work",
    "eight_point/perks_system_weak": "work",
    "political_leadership/three_major_one_large": "organizational",
    "party_building/party_role_weak": "political",
    "party_building/formalism_in_party_work": "work",
    "party_building/assessment_formalism": "work",
    "finance/slush_fund": "integrity",
    "finance/false_expenses": "integrity",
    "finance/fund_misappropriation": "integrity",
    "assets/asset_idle": "none",
    "project_mgmt/post_maintenance": "none",
    "other/corporate_governance": "none",
    "other/mass_discipline": "mass",
}


def disposition_for(nature):
    if nature == "lead":
        return "transfer_lead"
    if nature in ("general", "incipient"):
        return "rectify_now"
    return "rectify_by_deadline"


def label_for(t):
    if t.neg:
        lab = {"is_problem": False}
        if t.primary:
            cat, sub = t.primary.split("/")
            lab["category"], lab["subcategory"] = cat, sub
        lab["discipline"] = "none"
        lab["disposition"] = "none"
        lab["note"] = "cleared allegation" if t.primary else "statement of compliance"
        return lab
    cat, sub = t.primary.split("/")
    nature = t.keys.get("n", "general")
    disc = t.keys.get("d") or DISC_BY_SUB.get(t.primary) or DISC_BY_CATEGORY[cat]
    lab = {"is_problem": True, "category": cat, "subcategory": sub}
    if t.secondary:
        lab["secondary"] = [{"category": s.split("/")[0], "subcategory": s.split("/")[1]}
                            for s in t.secondary]
    lab["discipline"] = disc
    lab["nature"] = nature
    lab["disposition"] = disposition_for(nature)
    if nature == "lead":
        lab["transfer_target"] = t.keys.get("t", "discipline")
    if t.keys.get("vague") == "1":
        lab["note"] = "vague wording; needs review"
    return lab


# --------------------------------------------------------------------------
# Which templates read well for which unit.

DEPT_CATS = {"procurement", "payroll", "eight_point", "finance", "assets", "party_building",
             "personnel", "integrity", "rectification", "other"}
PROJECT_CATS = {"bidding", "project_mgmt", "procurement", "eight_point", "payroll", "integrity",
                "party_building", "finance", "other", "rectification", "assets"}
NOT_FOR_SMALL = ["{u}党委", "{u}纪委", "董事", "章程", "所属", "下属", "{u}班子", "经理层",
                 "{u}负责人", "{u}主要负责人", "子公司", "三重一大", "{u}领导班子", "党委会",
                 "{u}{lead}", "中层", "机构编制", "职数", "主管单位", "担保", "并购", "参股",
                 "合资", "股权"]
NOT_FOR_PROJECT_ONLY = ["{u}{cn", "{u}代管", "集体", "个人有关事项", "党委", "工程项目",
                        "房产", "门面", "厂房", "库房"]


NOT_FOR_KIND = {
    "department": {"eight_point/luxury_facilities", "assets/investment_loss", "assets/decision_loss",
                   "assets/lease_irregular", "finance/collective_assets", "personnel/over_quota",
                   "personnel/rapid_promotion", "personnel/sick_promotion", "personnel/nepotism",
                   "personnel/procedure_irregular", "personnel/recruitment_irregular"},
    "project": {"eight_point/luxury_facilities", "assets/investment_loss", "assets/decision_loss",
                "assets/lease_irregular", "finance/collective_assets", "personnel/over_quota",
                "eight_point/perks_system_weak", "eight_point/formalism",
                "personnel/rapid_promotion", "personnel/sick_promotion", "personnel/nepotism",
                "personnel/procedure_irregular", "personnel/recruitment_irregular"},
}


def fits(t, unit):
    kind = unit[4]
    cat = t.primary.split("/")[0] if t.primary else ""
    if t.primary in NOT_FOR_KIND.get(kind, ()):
        return False
    if kind == "department":
        if cat and cat not in DEPT_CATS:
            return False
        if any(w in t.text for w in NOT_FOR_SMALL + ["{proj}", "{road}", "{bldg}", "项目部", "工程",
                                                      "报表", "营业收入", "负债", "门面", "房产",
                                                      "人事部门", "食堂", "班组", "仓库", "营业",
                                                      "农民工", "征地"]):
            return False
    elif kind == "project":
        if cat and cat not in PROJECT_CATS:
            return False
        if any(w in t.text for w in NOT_FOR_SMALL + NOT_FOR_PROJECT_ONLY):
            return False
        if t.primary in ("party_building/org_setup",) and "项目部" not in t.text:
            return False
        own = PROJECT_OF.get(unit[0], {})
        if any("{%s}" % b in t.text for b in ("proj", "road", "bldg") if b not in own):
            return False
    elif kind == "branch":
        if any(w in t.text for w in ["董事", "章程", "子公司", "担保", "并购", "股权", "合资",
                                     "所属", "下属"]):
            return False
    return True


# --------------------------------------------------------------------------
# Building findings.

NOT_TENDERED = ("未招标", "未经招标", "不经招标", "没有走招标", "没走招标", "未履行招标程序",
                "无招标记录", "没有任何招标文件", "既未招标", "直接发包", "直接委托")


def infer_way(text, sub, rng):
    """The purchasing method a text states, else the one its subcategory implies."""
    for words, way in ((("单一来源",), "单一来源"), (("竞争性谈判",), "竞争性谈判"),
                       (("邀请招标",), "邀请招标"),
                       (("直接采购", "直接签约", "线下采购", "线下购买", "自行采购"), "直接采购"),
                       (("询比价", "比价", "询价", "报价"), "询比价")):
        if any(w in text for w in words):
            return way
    return {
        "open_tender_evaded": "询比价",
        "centralized_evaded": "直接采购",
        "split_to_evade": "直接采购",
    }.get(sub) or rng.choice(["公开招标", "询比价", "直接采购", "询比价"])


def procurement_attrs(rng, t, filler, unit, text):
    """attrs of a finding about one purchase or one works contract (none for general ones)."""
    attrs = {}
    cat, _, sub = t.primary.partition("/") if t.primary else ("", "", "")
    item = filler.vals.get("item") or filler.vals.get("svc")
    if item and cat in ("procurement", "integrity"):
        attrs["物资类别"] = item
        attrs["采购方式"] = t.keys.get("way") or infer_way(text, sub, rng)
        attrs["合同编号"] = "%s-CG-%s-%03d" % (unit[0], filler.vals.get("y", "2024"),
                                              rng.randint(1, 240))
    elif cat in ("bidding", "project_mgmt") and "proj" in filler.vals:
        attrs["工程名称"] = filler.vals["proj"]
        attrs["合同编号"] = "%s-GC-%s-%03d" % (unit[0], filler.vals.get("y", "2024"),
                                              rng.randint(1, 120))
        if cat == "bidding":
            if any(w in text for w in NOT_TENDERED) or sub == "split_to_evade":
                attrs["招标方式"] = "未招标"
            elif "邀请招标" in text or sub == "invite_instead_of_open":
                attrs["招标方式"] = "邀请招标"
            else:
                attrs["招标方式"] = "公开招标"
    return attrs


EVIDENCE_KIND = {"doc": ("voucher", "凭证"), "int": ("interview", "谈话记录"),
                 "site": ("photo", "现场照片"), "pet": ("petition", "信访件"),
                 "self": ("self_check_report", "自查报告"), "aud": ("audit_report", "审计报告")}
DOC_KIND_BY_CAT = {"bidding": ("contract", "合同"), "project_mgmt": ("contract", "合同"),
                   "procurement": ("contract", "合同"), "personnel": ("archive", "档案"),
                   "political_leadership": ("minutes", "会议纪要"),
                   "party_building": ("minutes", "会议记录"),
                   "one_post_two_resp": ("minutes", "会议记录")}


def evidence(rng, t, fid, year, found_year):
    kind, prefix = EVIDENCE_KIND[t.src]
    if t.src != "doc":
        year = found_year
    cat = t.primary.split("/")[0] if t.primary else ""
    if t.src == "doc" and cat in DOC_KIND_BY_CAT:
        kind, prefix = DOC_KIND_BY_CAT[cat]
    return [{"id": "%s%s-%02d-%03d" % (prefix, year, rng.randint(1, 12), rng.randint(1, 400)),
             "kind": kind}]


def date_in(rng, start, end):
    """Random ISO date between (y, m, d) tuples, inclusive, via day offset."""
    import datetime
    a = datetime.date(*start)
    b = datetime.date(*end)
    return (a + datetime.timedelta(days=rng.randint(0, (b - a).days))).isoformat()


VARIANT_KIND = {}
for _table, _kind in ((CONTRACTORS, "con"), (SUPPLIERS, "sup"), (AGENTS, "agent")):
    for _canon, _variants, _ in _table:
        for _v in _variants:
            VARIANT_KIND[_v] = (_canon, _kind)
CANON_OF = {v: c for v, (c, _) in VARIANT_KIND.items()}


def literal_counterparties(text, cps):
    """Counterparties a hand-written text names without a slot."""
    named = {c["name"] for c in cps}
    out = []
    for v in sorted(VARIANT_KIND, key=len, reverse=True):
        if v in text and v not in named and not any(v in n for n in named):
            canon, kind = VARIANT_KIND[v]
            out.append({"name": v, "kind": CP_KIND[kind], "id": uscc(canon)})
            named.add(v)
    return out


def build(rng, t, unit, fid, round_id, years, found, amount_p=0.45, team=None,
          cp_bias=None, fullwidth=False, with_evidence=True):
    filler = Filler(rng, unit, years, cp_bias)
    text = filler.fill(t.text)
    filler.cps += literal_counterparties(text, filler.cps)
    if fullwidth:
        text = to_fullwidth_digits(text)
    f = {"id": fid, "unit": unit_json(unit), "round": round_id, "text": text}
    amt = filler.amount()
    if amt is not None and rng.random() < amount_p:
        f["amount"] = {"fen": str(amt * 100)}
    y = filler.vals.get("y#int")
    if y is not None:
        m = filler.vals.get("m#int")
        f["occurred_on"] = "%d-%02d" % (y, m) if m else str(y)
    f["found_on"] = date_in(rng, *found)
    f["source"] = SOURCE[t.src]
    if filler.cps:
        f["counterparties"] = filler.cps
    f["inspector_team"] = team or TEAMS[int(unit[0][1:]) % len(TEAMS)]
    if with_evidence:
        f["evidence"] = evidence(rng, t, fid, y or years[0], int(f["found_on"][:4]))
    attrs = procurement_attrs(rng, t, filler, unit, text)
    if attrs:
        f["attrs"] = attrs
    return f, filler


def dump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def write_lines(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# The labelled corpus.

def labelled_corpus(templates):
    rng = random.Random(20250101)
    groups = {}
    for t in templates:
        groups.setdefault(t.group, {"A": [], "B": []})[t.pool].append(t)
    for g, pools in sorted(groups.items()):
        if not pools["A"] or not pools["B"]:
            sys.exit("template group %s lacks pool %s" % (g, "A" if not pools["A"] else "B"))
    problem_groups = sorted(g for g in groups if not g.startswith("neg:"))
    neg_groups = sorted(g for g in groups if g.startswith("neg:"))
    cat_groups = {}
    for g in problem_groups:
        cat_groups.setdefault(g.split("/")[0], []).append(g)

    out = {"tune": [], "heldout": []}
    seen = set()
    used_fixed = set()

    def same_text_key(text):
        # Texts that differ only in full-width digits are the same finding.
        return re.sub(r"[,，]", "", text.translate(UNFULLWIDTH))

    def emit(split, t, n):
        made = 0
        attempts = 0
        if "{" not in t.text:
            # A fixed text (DOMAIN.md §8 example) is used once, for the unit it names.
            if t.text in used_fixed:
                return 0
            used_fixed.add(t.text)
        while made < n and attempts < n * 12:
            attempts += 1
            cands = [u for u in LABEL_UNITS if fits(t, u)] or LABEL_UNITS
            if "{u}" not in t.text:
                cands = [u for u in LABEL_UNITS if t.text.startswith(u[2])] or cands
            unit = rng.choice(cands)
            fid = "%s-%04d" % (split, len(out[split]) + 1)
            fw = rng.random() < (0.15 if split == "heldout" else 0.06)
            rid, found, years = rng.choice(LABEL_ROUNDS)
            f, _ = build(rng, t, unit, fid, rid, [rng.choice(years)], found,
                         amount_p=0.4, fullwidth=fw)
            if same_text_key(f["text"]) in seen:
                continue
            seen.add(same_text_key(f["text"]))
            out[split].append(dump({"finding": f, "label": label_for(t)}))
            made += 1
        return made

    def spread(split, ts, n):
        # Round-robin over the group's templates, in a shuffled order; at most
        # two findings per template so one phrasing does not dominate a group.
        ts = list(ts)
        rng.shuffle(ts)
        # The DOMAIN.md §8 examples (fixed texts) always go in.
        ts.sort(key=lambda t: "{" in t.text)
        n = max(n, sum(1 for t in ts if "{" not in t.text))
        uses = collections.Counter()
        made = 0
        while made < n:
            avail = [t for t in ts if uses[t.lineno] < (1 if "{" not in t.text else 2)]
            if not avail:
                break
            t = min(avail, key=lambda t: uses[t.lineno])  # round robin, first in order
            uses[t.lineno] += 1
            made += emit(split, t, 1)

    for cat, gs in sorted(cat_groups.items()):
        tune_n = max(4, math.ceil(26 / len(gs)))
        held_n = max(2, math.ceil(8 / len(gs)))
        for g in gs:
            spread("tune", groups[g]["A"], tune_n)
            spread("heldout", groups[g]["B"], held_n)
    # Negations: about one in ten.
    neg_a = [t for g in neg_groups for t in groups[g]["A"]]
    neg_b = [t for g in neg_groups for t in groups[g]["B"]]
    spread("tune", neg_a, 48)
    spread("heldout", neg_b, 24)
    return out


def dev_corpus(taken, directory=DEV_TEMPLATES, pool="C", prefix="dev"):
    """The development corpus: pool C templates of tools/dev_templates/*.txt.

    Written after the first rule set was measured, by authors who had not read
    the heldout file nor the pool B templates, to give the rules phrasings
    beyond pool A to be tuned on. Each file is generated with its own seed (its
    name), so a file's findings do not change when another file does. Texts
    already taken (`taken`, width-folded: tune, heldout, an earlier corpus) are
    skipped, and the texts made are added to `taken`.

    The validation corpus is made the same way from pool D
    (tools/val_templates/, prefix "val")."""
    out = []
    if not os.path.isdir(directory):
        return out
    seen = taken
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".txt"):
            continue
        stem = name[:-4]
        rng = random.Random(prefix + ":" + stem)
        n = 0
        for t in load_templates(os.path.join(directory, name), pools=(pool,)):
            want = 1 if "{" not in t.text else 2
            made = attempts = 0
            while made < want and attempts < 24:
                attempts += 1
                cands = [u for u in LABEL_UNITS if fits(t, u)] or LABEL_UNITS
                if "{u}" not in t.text:
                    cands = [u for u in LABEL_UNITS if t.text.startswith(u[2])] or cands
                unit = rng.choice(cands)
                fid = "%s-%s-%04d" % (prefix, stem, n + 1)
                fw = rng.random() < 0.10
                rid, found, years = rng.choice(LABEL_ROUNDS)
                f, _ = build(rng, t, unit, fid, rid, [rng.choice(years)], found,
                             amount_p=0.4, fullwidth=fw)
                key = re.sub(r"[,，]", "", f["text"].translate(UNFULLWIDTH))
                if key in seen:
                    continue
                seen.add(key)
                out.append(dump({"finding": f, "label": label_for(t)}))
                made += 1
                n += 1
    return out


# --------------------------------------------------------------------------
# The sample rounds.

def unit_by_id(uid):
    return next(u for u in UNITS if u[0] == uid)


class Round:
    def __init__(self, round_id, prefix, found, years, seed):
        self.round_id = round_id
        self.prefix = prefix
        self.found = found
        self.years = years
        self.rng = random.Random(seed)
        self.findings = []   # (finding, truth)
        self.seen = set()

    def next_id(self):
        return "%s-%04d" % (self.prefix, len(self.findings) + 1)

    def renumber(self):
        """Orders findings by unit (as a report lists them), shuffled within a unit, and
        renumbers them; returns {old id: new id}."""
        keyed = [(f["unit"]["id"], self.rng.random(), f, t) for f, t in self.findings]
        keyed.sort(key=lambda x: (x[0], x[1]))
        mapping = {}
        self.findings = []
        for i, (_, _, f, t) in enumerate(keyed, 1):
            new = "%s-%04d" % (self.prefix, i)
            mapping[f["id"]] = new
            f["id"] = new
            t["finding_id"] = new
            self.findings.append((f, t))
        return mapping

    def add(self, t, uid, patterns=(), cp_bias=None, amount_p=0.5, text=None, label=None,
            extra_attrs=None, occurred=None, year=None):
        unit = unit_by_id(uid)
        for _ in range(20):
            years = [year] if year else [self.rng.choice(self.years)]
            if text is not None:
                tt = Template(t.section, t.pool, guess_src(text) if t.lineno == 0 else t.src,
                              text, t.keys, t.lineno)
            else:
                tt = t
            f, filler = build(self.rng, tt, unit, self.next_id(), self.round_id, years,
                              self.found, amount_p=amount_p, cp_bias=cp_bias)
            if f["text"] not in self.seen:
                break
        else:
            return None
        self.seen.add(f["text"])
        if extra_attrs:
            f.setdefault("attrs", {}).update(extra_attrs)
        if occurred:
            f["occurred_on"] = occurred
        lab = dict(label or label_for(t))
        truth = {"finding_id": f["id"]}
        truth.update(lab)
        if patterns:
            truth["patterns"] = list(patterns)
        self.findings.append((f, truth))
        return f


def guess_src(text):
    if text.startswith(("据", "有职工", "有人", "有同志")):
        return "int"
    if text.startswith(("实地", "现场", "走访")):
        return "site"
    if text.startswith(("信访", "举报", "来信", "有群众")):
        return "pet"
    return "doc"


def custom(section, src, keys=""):
    return Template(section, "A", src, "", parse_keys(keys), 0)


def annotate_patterns(rnd, prev_problems):
    """Adds to each truth line the cross-unit patterns it takes part in (DOMAIN.md §6):
    recurrence (same unit + subcategory as a previous problem), widespread (a
    subcategory in >= 3 units), concentrated (>= 3 of a subcategory in one unit),
    shared_counterparty (one supplier/contractor, any spelling, in >= 2 units)."""
    units_of, count, cp_units = {}, {}, {}
    for f, t in rnd.findings:
        if not t.get("is_problem"):
            continue
        key = t["category"] + "/" + t["subcategory"]
        uid = f["unit"]["id"]
        units_of.setdefault(key, set()).add(uid)
        count[(uid, key)] = count.get((uid, key), 0) + 1
        for c in f.get("counterparties", []):
            if c["name"] in CANON_OF:
                cp_units.setdefault(CANON_OF[c["name"]], set()).add(uid)
    for f, t in rnd.findings:
        if not t.get("is_problem"):
            continue
        key = t["category"] + "/" + t["subcategory"]
        uid = f["unit"]["id"]
        pats = [p for p in t.get("patterns", []) if p.startswith("split_purchase:")]
        for pid in prev_problems.get((uid, key), []):
            pats.append("recurrence:" + pid)
        if len(units_of[key]) >= 3:
            pats.append("widespread:" + key)
        if count[(uid, key)] >= 3:
            pats.append("concentrated:%s:%s" % (uid, key))
        for canon in sorted({CANON_OF[c["name"]] for c in f.get("counterparties", [])
                             if c["name"] in CANON_OF}):
            if len(cp_units[canon]) >= 2:
                pats.append("shared_counterparty:" + canon)
        if pats:
            t["patterns"] = pats
        else:
            t.pop("patterns", None)


def sample_rounds(templates):
    by_group = {}
    for t in templates:
        by_group.setdefault(t.group, []).append(t)
    problem_groups = sorted(g for g in by_group if not g.startswith("neg:") and g != "none")

    # ---------------- previous round 2024-2 ----------------
    prev = Round("2024-2", "X24B", ((2024, 9, 9), (2024, 11, 15)), [2022, 2023, 2024], 20240902)
    prev_states = {}
    recur_prev = [
        ("U05", "eight_point/vehicle", "A电力公司公务用车加油卡管理混乱，部分油卡由驾驶员个人保管，加油量与行驶里程不匹配，涉及金额{a:1.2w:3w}。", "closed"),
        ("U07", "payroll/allowance_irregular", "B物流公司向机关人员发放野外作业津贴，{y}年共计{a:10w:40w}，发放对象不在一线岗位。", "closed"),
        ("U09", "bidding/implement_before_tender", "C建设公司{proj}于{y}年{m:3:5}月进场施工，{m2:7:9}月才完成招标。", "closed"),
        ("U13", "procurement/inquiry_comparison_irregular", "E新能源公司{item}询比价仅有一家有效报价即确定供应商，金额{a:20w:90w}。", "closed"),
        ("U15", "eight_point/hospitality_over_standard", "F置业公司公务接待陪餐人数超标，{y}年有{n:4:9}次接待陪餐人数超过规定。", "closed"),
        ("U06", "procurement/single_source_unjustified", "检修分公司以“原厂配套”为由向{sup}单一来源采购{item}，金额{a:60w:180w}，未经论证。", "in_progress"),
        ("U12", "eight_point/hospitality_docs", "D金融公司{y}年{n:15:40}笔业务招待费无公函、无接待清单。", "closed"),
        ("U16", "payroll/welfare_irregular", "G供应链公司{y}年中秋节向职工发放购物卡，合计{a:8w:30w}。", "closed"),
        ("U08", "party_building/org_life_irregular", "华东分公司党支部“三会一课”开展不经常，{y}年党课仅讲1次。", "in_progress"),
        ("U11", "project_mgmt/change_orders", "港区道路项目部变更签证{n:10:30}份无监理签字，涉及金额{a:40w:160w}。", "closed"),
        ("U14", "personnel/archive_mgmt", "西北分公司{n:6:15}卷干部人事档案材料不全，缺少任免审批表。", "in_progress"),
        ("U02", "finance/accounting_inaccurate", "财务资产部往来款长期挂账未清理，3年以上应收账款{a:300w:1200w}。", "closed"),
    ]
    recur_found = {}
    for uid, key, text, state in recur_prev:
        t = next(x for x in by_group[key] if x.pool == "A")
        f = prev.add(t, uid, text=text)
        prev_states[f["id"]] = state
        recur_found[(uid, key)] = f
    # Fill with ordinary findings.
    prev_units = [u[0] for u in UNITS]
    prev_rng = prev.rng
    prev_pairs = set()
    i = 0
    while len(prev.findings) < 82:
        g = prev_rng.choice(problem_groups)
        uid = prev_units[i % len(prev_units)]
        i += 1
        cands = [t for t in by_group[g] if fits(t, unit_by_id(uid)) and "{u}" in t.text
                 and (t.lineno, uid) not in prev_pairs]
        if not cands:
            continue
        t = prev_rng.choice(cands)
        prev_pairs.add((t.lineno, uid))
        f = prev.add(t, uid)
        if f is not None:
            prev_states[f["id"]] = "closed" if prev_rng.random() < 0.7 else "in_progress"
    mapping = prev.renumber()
    prev_states = {mapping[k]: v for k, v in prev_states.items()}
    prev_ids = {k: f["id"] for k, f in recur_found.items()}
    # (unit, subcategory) of every previous problem, for recurrences.
    prev_problems = {}
    for f, t in prev.findings:
        if t.get("is_problem"):
            prev_problems.setdefault((f["unit"]["id"], t["category"] + "/" + t["subcategory"]),
                                     []).append(f["id"])

    # ---------------- this round 2025-1 ----------------
    cur = Round("2025-1", "X25A", ((2025, 3, 10), (2025, 5, 23)), [2023, 2024], 20250310)
    keys = {}  # name -> finding id, for the back-to-back pairs

    def lab(primary, nature="general", secondary=(), disc=None, target=None, note=None):
        t = custom(primary, "doc", "n=" + nature + ((" s=" + ",".join(secondary)) if secondary else "")
                   + ((" d=" + disc) if disc else "") + ((" t=" + target) if target else ""))
        l = label_for(t)
        if note:
            l["note"] = note
        return t, l

    # W1: 公务用车未执行派车单 in 7 units (widespread), near-duplicate wording.
    w1 = ["{u}公务用车未执行派车单制度，抽查{y}年出车记录{n:40:120}条，其中{n2:15:38}次无派车单。",
          "{u}公务用车管理不规范，未严格执行派车单制度，{y}年有{n:12:40}次出车无审批记录。"]
    for i, uid in enumerate(["U05", "U06", "U07", "U08", "U12", "U13", "U16"]):
        t, l = lab("eight_point/vehicle")
        f = cur.add(t, uid, text=w1[i % 2], label=l, patterns=["widespread:eight_point/vehicle"],
                    amount_p=0)
        keys["W1-" + uid] = f
    # W2: 三会一课记录雷同 in 4 units.
    w2 = "{u}所属党支部“三会一课”记录内容雷同，部分会议记录系事后补记。"
    for uid in ["U05", "U09", "U13", "U15"]:
        t, l = lab("party_building/formalism_in_party_work")
        cur.add(t, uid, text=w2, label=l, patterns=["widespread:party_building/formalism_in_party_work"])
    # W3: 采购档案不全 in 5 units.
    w3 = ["抽查{u}{y}年{n:12:30}个采购项目，其中{n2:4:9}个缺少询价记录或评审报告，采购档案不全。",
          "{u}采购档案归档不及时，{y}年{n:5:12}个采购项目无法提供完整的审批和验收资料。"]
    for i, uid in enumerate(["U04", "U07", "U08", "U14", "U16"]):
        t, l = lab("procurement/records_incomplete", "tendency")
        f = cur.add(t, uid, text=w3[i % 2], label=l,
                    patterns=["widespread:procurement/records_incomplete"])
        keys["W3-" + uid] = f
    # W4: 个税 in 3 units.
    w4 = "{u}{y}年发放的通讯补贴、交通补贴{a:8w:60w}未并入工资薪金代扣代缴个人所得税。"
    for uid in ["U02", "U06", "U12"]:
        t, l = lab("finance/tax_withholding")
        f = cur.add(t, uid, text=w4, label=l, patterns=["widespread:finance/tax_withholding"])
        keys["W4-" + uid] = f
    # W5: 办公用房超标 in 3 units.
    w5 = ["实地查看{u}办公用房，{n:2:4}名领导班子成员办公室使用面积超出标准，最大的达{n2:38:56}平方米。",
          "{u}办公用房管理不规范，{lead}办公室面积{n:36:52}平方米，超出核定标准。"]
    for i, uid in enumerate(["U01", "U09", "U12"]):
        t, l = lab("eight_point/office_space")
        f = cur.add(t, uid, text=w5[i % 2] if uid != "U01" else w5[0], label=l,
                    patterns=["widespread:eight_point/office_space"])
        keys["W5-" + uid] = f
    # W6: 业务招待无公函 in 4 units.
    w6 = ["查阅{u}{y}年业务招待费凭证，{n:12:40}笔无公函、无接待清单，涉及金额{a:3w:25w}。",
          "{u}公务接待审批手续不全，{y}年有{n:10:30}笔接待费报销未附公函和接待清单。"]
    for i, uid in enumerate(["U05", "U07", "U13", "U15"]):
        t, l = lab("eight_point/hospitality_docs", "tendency")
        f = cur.add(t, uid, text=w6[i % 2], label=l, patterns=["widespread:eight_point/hospitality_docs"])
        keys["W6-" + uid] = f

    # C1: U09 concentrated untendered works, 华信建设 under several spellings.
    c1 = [
        ("{u}{proj}合同金额{a:420w:900w}，未履行招标程序，直接发包给{con}施工。", "华信建设有限公司"),
        ("查阅合同台账发现，{u}{proj}（合同额{a:500w:1200w}）未经招标，由总经理办公会直接确定{con}承建。", "华信建设有限责任公司"),
        ("据职工反映，{u}{proj}没走招标，是直接交给{con}干的，合同价{a:400w:800w}左右。", "华信建设 有限公司"),
        ("{u}{y}年{proj}未招标，以补充协议形式追加给{con}，追加金额{a:410w:700w}，超过原合同价的一半。", "华信建设\u3000有限公司"),
    ]
    for text, variant in c1:
        t, l = lab("bidding/should_tender_not_tendered")
        cur.add(t, "U09", text=text, label=l, cp_bias={"con": ("华信建设有限公司", variant)},
                patterns=["concentrated:U09:bidding/should_tender_not_tendered",
                          "shared_counterparty:华信建设有限公司"])
    # More 华信 across units.
    hx = [
        ("U10", "bidding/bid_rigging", "incipient",
         "查阅{u}{proj}投标文件发现，{con}与另外两家投标单位的投标文件由同一台电脑编制，{con}以{a:600w:1500w}中标。",
         "华信建设有限责任公司"),
        ("U11", "bidding/implement_before_tender", "general",
         "{u}{proj}于{y}年{m:2:4}月由{con}进场施工，{m2:6:8}月才发布招标公告。", "华信建设有限公司"),
        ("U15", "project_mgmt/cost_inflation", "general",
         "{u}{proj}结算中{con}多计工程量，经审计核减{a:80w:260w}，此前已按送审金额支付。", "华信建设 有限公司"),
        ("U13", "bidding/should_tender_not_tendered", "general",
         "{u}光伏电站场区道路工程（{a:430w:900w}）未招标，直接委托{con}实施。", "华信建设有限公司"),
    ]
    for uid, key, nat, text, variant in hx:
        t, l = lab(key, nat)
        cur.add(t, uid, text=text, label=l, cp_bias={"con": ("华信建设有限公司", variant)},
                patterns=["shared_counterparty:华信建设有限公司"])
    # C2: U07 single-source, 恒通 variants; plus 恒通 at U04, U16.
    c2 = [
        ("{u}以“设备兼容”为由向{sup}单一来源采购{item}，金额{a:80w:190w}，论证材料仅一页说明。",
         "恒通（北京）物资贸易有限公司"),
        ("{u}{y}年{cn:3:5}次向{sup}单一来源采购{item}，理由均为“紧急需要”，但采购周期均超过一个月。",
         "恒通(北京)物资贸易有限公司"),
        ("{u}采购{item}的单一来源论证由使用部门自行出具，供应商为{sup}，而同类产品市场上至少有{cn2:4:8}家供应商。",
         "恒通(北京)物资贸易有限责任公司"),
    ]
    for i, (text, variant) in enumerate(c2):
        t, l = lab("procurement/single_source_unjustified", "tendency" if i == 1 else "general")
        f = cur.add(t, "U07", text=text, label=l, cp_bias={"sup": ("恒通（北京）物资贸易有限公司", variant)},
                    patterns=["concentrated:U07:procurement/single_source_unjustified",
                              "shared_counterparty:恒通（北京）物资贸易有限公司"])
        f.setdefault("attrs", {})["采购方式"] = "单一来源"
    for uid, key, text, variant in [
        ("U04", "procurement/inquiry_comparison_irregular",
         "{u}采购{item}的3份报价单格式、字体完全一致，中选供应商为{sup}，金额{a:40w:150w}。",
         "恒通(北京)物资贸易有限公司"),
        ("U16", "procurement/contract_mgmt",
         "{u}与{sup}签订的{item}合同无付款条件条款，已预付货款{a:30w:120w}，至今未到货。",
         "恒通（北京）物资贸易有限公司"),
    ]:
        t, l = lab(key, "incipient" if "inquiry" in key else "general")
        cur.add(t, uid, text=text, label=l, cp_bias={"sup": ("恒通（北京）物资贸易有限公司", variant)},
                patterns=["shared_counterparty:恒通（北京）物资贸易有限公司"])
    # 宏达IT across U01, U02 (U07 appears in the back-to-back pairs below).
    for uid, text, variant in [
        ("U01", "集团本部信息系统运维服务连续{cn:3:4}年向{sup}单一来源采购，年合同额{a:60w:150w}，未重新论证。", "宏达IT服务有限公司"),
        ("U02", "{u}财务共享系统升级以“原厂维护”为由委托{sup}，合同金额{a:50w:120w}，未进行比价。", "宏达ＩＴ服务有限公司"),
    ]:
        t, l = lab("procurement/single_source_unjustified", "tendency" if uid == "U01" else "general")
        f = cur.add(t, uid, text=text, label=l, cp_bias={"sup": ("宏达IT服务有限公司", variant)},
                    patterns=["shared_counterparty:宏达IT服务有限公司"])
        f.setdefault("attrs", {}).update({"采购方式": "单一来源", "物资类别": "软件运维服务"})
    # C3: U05 hospitality over standard x3.
    for text in ["查阅接待清单发现，{u}接待上级检查组{n:3:5}人，陪餐人数达{n2:7:9}人。",
                 "{u}公务接待超标准安排高档菜肴和酒水，单次费用{a:6000:18000}。",
                 "{u}{y}年{m:1:12}月接待外单位{n:4:6}人，陪同{n2:6:8}人，费用列入会议费。"]:
        t, l = lab("eight_point/hospitality_over_standard",
                   secondary=["finance/false_expenses"] if "会议费" in text else ())
        cur.add(t, "U05", text=text, label=l,
                patterns=["concentrated:U05:eight_point/hospitality_over_standard"])
    # C4: U10 change orders x3.
    for text, nat in [("{u}{proj}变更签证{n:12:30}份，其中{n2:5:9}份无监理签字，涉及金额{a:60w:200w}。", "tendency"),
                      ("{u}部分现场签证系竣工后集中补办，签证日期与施工日志对应不上，涉及金额{a:30w:90w}。", "general"),
                      ("{u}{proj}变更金额{a:200w:500w}，占合同价的{n:22:40}%，未按规定报批。", "general")]:
        t, l = lab("project_mgmt/change_orders", nat)
        cur.add(t, "U10", text=text, label=l, patterns=["concentrated:U10:project_mgmt/change_orders"])

    # S1: split purchase at U16 (劳保用品, 2024, four non-open buys under 200万, sum above).
    s1 = [("2024-03", "询比价", 680000, "{u}2024年3月以询比价方式向{sup}采购劳保用品，合同金额68万元，询价记录仅有两家报价。",
           "procurement/inquiry_comparison_irregular", "incipient"),
          ("2024-06", "直接采购", 575000, "{u}2024年6月直接向{sup}采购劳保用品一批，金额57.5万元，未履行比价程序。",
           "procurement/inquiry_comparison_irregular", "general"),
          ("2024-09", "询比价", 496000, "{u}2024年9月采购冬季劳保用品496,000元，比价文件中两家报价单位经营范围不含劳保用品。",
           "procurement/inquiry_comparison_irregular", "incipient"),
          ("2024-11", "直接采购", 462000, "{u}2024年11月向{sup}直接采购防护服、安全帽等劳保用品，金额四十六万二千元，采购申请审批晚于到货日期。",
           "procurement/procedure_inverted", "general")]
    for occ, way, yuan, text, key, nat in s1:
        t, l = lab(key, nat)
        f = cur.add(t, "U16", text=text, label=l, occurred=occ, amount_p=1.1,
                    cp_bias={"sup": ("瑞丰劳保用品有限公司", "瑞丰劳保用品有限公司")},
                    extra_attrs={"采购方式": way, "物资类别": "劳保用品",
                                 "合同编号": "U16-CG-2024-%03d" % (30 + int(occ[5:]))},
                    patterns=["split_purchase:U16:劳保用品:2024"])
        f["amount"] = {"fen": str(yuan * 100)}
    # S2: split purchase at U06 (备品备件, 2024).
    s2 = [("2024-02", 960000, "{u}2024年2月直接采购变压器备品备件96万元，未进行询比价。", "procurement/inquiry_comparison_irregular"),
          ("2024-05", 880000, "{u}2024年5月向{sup}采购备品备件，金额88万元，验收单只有经办人一人签字。", "procurement/weak_acceptance"),
          ("2024-10", 745000, "{u}2024年10月以“检修急需”为由直接采购备品备件74.5万元，事后补办审批。", "procurement/procedure_inverted")]
    for occ, yuan, text, key in s2:
        t, l = lab(key)
        f = cur.add(t, "U06", text=text, label=l, occurred=occ, amount_p=1.1,
                    cp_bias={"sup": ("中泰电气设备有限公司", "中泰电气设备有限公司")},
                    extra_attrs={"采购方式": "直接采购", "物资类别": "备品备件",
                                 "合同编号": "U06-CG-2024-%03d" % (10 + int(occ[5:]))},
                    patterns=["split_purchase:U06:备品备件:2024"])
        f["amount"] = {"fen": str(yuan * 100)}
    # Distractors: same category, sum under the threshold (U13); same item across years (U04).
    for occ, yuan, text in [("2024-04", 120000, "{u}2024年4月直接采购办公耗材12万元，未履行比价程序。"),
                            ("2024-07", 96000, "{u}2024年7月采购办公耗材9.6万元，询价记录不完整。"),
                            ("2024-12", 150000, "{u}2024年12月采购办公耗材150,000元，仅有一家报价。")]:
        t, l = lab("procurement/inquiry_comparison_irregular")
        f = cur.add(t, "U13", text=text, label=l, occurred=occ,
                    extra_attrs={"采购方式": "询比价" if "询价" in text or "报价" in text else "直接采购",
                                 "物资类别": "办公耗材", "合同编号": "U13-CG-2024-%03d" % int(occ[5:])})
        f["amount"] = {"fen": str(yuan * 100)}
    for occ, yuan, text in [("2023-08", 1500000, "{u}2023年8月以询比价方式采购电力电缆150万元，比价单位均为长期合作单位。"),
                            ("2024-08", 1580000, "{u}2024年8月以询比价方式采购电力电缆158万元，询价记录缺少报价人签字。")]:
        t, l = lab("procurement/inquiry_comparison_irregular", "incipient" if "长期" in text else "general")
        f = cur.add(t, "U04", text=text, label=l, occurred=occ,
                    extra_attrs={"采购方式": "询比价", "物资类别": "电力电缆",
                                 "合同编号": "U04-CG-%s-%03d" % (occ[:4], int(occ[5:]) + 50)})
        f["amount"] = {"fen": str(yuan * 100)}

    # Recurrences of 2024-2 problems: explicit wording for some, same unit+subcategory for others.
    explicit = {
        ("U05", "eight_point/vehicle"): "{u}上轮巡察指出的加油卡管理混乱问题本轮仍然存在，{y}年仍有{n:5:12}张油卡由驾驶员个人保管。",
        ("U07", "payroll/allowance_irregular"): "{u}上轮巡察指出的违规发放野外作业津贴问题，本轮巡察发现{y}年仍在发放，金额{a:8w:30w}。",
        ("U09", "bidding/implement_before_tender"): "{u}曾因未招先建问题被巡察指出，本轮发现{proj}又出现先施工后招标，开工比中标通知晚{n:20:60}天。",
        ("U13", "procurement/inquiry_comparison_irregular"): "{u}上轮巡察反馈的询比价不规范问题依然存在，{item}采购仍只有一家报价。",
        ("U15", "eight_point/hospitality_over_standard"): "回头看发现，{u}已销号的公务接待陪餐超标问题出现反弹，{y}年又有{n:3:6}次接待陪餐超标。",
    }
    implicit = {
        ("U06", "procurement/single_source_unjustified"): "{u}以“设备兼容”为由向{sup}单一来源采购{item}，金额{a:80w:190w}，未组织专家论证。",
        ("U12", "eight_point/hospitality_docs"): "{u}招待费报销仅附发票，{y}年{n:10:25}笔缺少审批单和接待对象信息。",
        ("U16", "payroll/welfare_irregular"): "{u}{y}年春节以“慰问品”名义采购礼品卡{n:100:300}张发给职工，合计{a:6w:25w}。",
        ("U08", "party_building/org_life_irregular"): "{u}党支部{y}年主题党日活动形式单一，组织生活会未开展批评与自我批评。",
        ("U11", "project_mgmt/change_orders"): "{u}{proj}部分签证“先干后签”，签证工程量由施工单位自行填写，涉及金额{a:30w:120w}。",
        ("U14", "personnel/archive_mgmt"): "{u}干部人事档案材料收集归档不及时，{y}年以来的年度考核表均未入档。",
    }
    for (uid, key), text in sorted(explicit.items()):
        t, l = lab(key, "tendency", secondary=["rectification/recurrence"])
        cur.add(t, uid, text=text, label=l, patterns=["recurrence:" + prev_ids[(uid, key)]])
    for (uid, key), text in sorted(implicit.items()):
        nat = "tendency" if key in ("payroll/welfare_irregular",) else "general"
        t, l = lab(key, nat)
        cur.add(t, uid, text=text, label=l, patterns=["recurrence:" + prev_ids[(uid, key)]])
    t, l = lab("rectification/not_rectified", "tendency", secondary=["finance/accounting_inaccurate"])
    cur.add(t, "U02", text="{u}上轮巡察指出的往来款长期挂账问题已报销号，但抽查发现3年以上应收账款仍有{a:200w:900w}未清理。",
            label=l, patterns=["recurrence:" + prev_ids[("U02", "finance/accounting_inaccurate")]])

    # Back-to-back pairs (U05, U07, U12): inspector side here, unit side in unit-self-check.
    pairs = []
    pair_specs = [
        ("U05", "payroll/welfare_irregular", "tendency",
         "{u}2024年春节以“慰问品”名义采购购物卡发放给机关职工，每人1500元，合计26.4万元。",
         "2024年春节期间，我公司机关向职工发放了购物卡，总额约26万元，目前已组织清退。", 264000),
        ("U05", "bidding/should_tender_not_tendered", "general",
         "{u}综合楼改造工程合同额486万元，未履行招标程序，直接委托宏远市政工程有限公司施工。",
         "综合楼改造项目因工期紧张采用直接委托方式，合同金额485.6万元，程序上存在瑕疵。", 4860000),
        ("U05", "one_post_two_resp/main_responsibility_weak", "tendency",
         "{u}党委2024年仅召开2次会议专题研究党风廉政建设工作，主体责任落实不到位。",
         "党委研究党风廉政建设工作的频次不够，对基层廉洁风险防控部署偏少。", None),
        ("U05", "payroll/part_time_pay", "general",
         "{u}3名中层干部在参股企业兼任董事并领取董事津贴4.8万元。",
         "部分中层干部在参股公司兼职领取津贴共计48,000元，已全部退回公司账户。", 48000),
        ("W6-U05", None, None, None,
         "个别业务招待未附公函，接待清单填写不完整。", None),
        ("U07", "procurement/single_source_unjustified", "general",
         "{u}以“系统兼容”为由向宏达IT服务有限公司单一来源采购仓储管理系统升级服务，金额138万元。",
         "仓储系统升级服务采用单一来源方式采购（138万元），前期论证不够充分。", 1380000),
        ("U07", "payroll/ghost_pay", "general",
         "{u}2名员工自2024年3月起长期不在岗，工资社保照常发放，累计14.2万元。",
         "个别员工考勤管理不严，存在不在岗仍发放工资的情况，涉及金额约14万元。", 142000),
        ("U07", "payroll/allowance_irregular", "general",
         "{u}向全体员工按月发放交通补贴，其中12人已配有公务用车，重复领取6.9万元。",
         "交通补贴发放范围未剔除已使用公务车辆的人员，多发六万九千元。", 69000),
        ("W1-U07", None, None, None,
         "公务车辆派车制度执行不严格，部分出车未填写派车单。", None),
        ("W3-U07", None, None, None,
         "采购资料归档不够及时，个别项目询价资料缺失。", None),
        ("U12", "assets/decision_loss", "lead",
         "{u}违规为民营企业提供担保5000万元，被担保方违约后承担代偿责任。",
         "对外担保事项风险评估不足，被担保方违约后我公司承担代偿责任4,980万元。", 50000000),
        ("U12", "other/corporate_governance", "tendency",
         "{u}经理层成员任期制和契约化管理未落实，考核指标“一团和气”。",
         "经理层任期制和契约化管理推进较慢，考核指标设置不够科学。", None),
        ("W4-U12", None, None, None,
         "发放的部分补贴未代扣个人所得税，已补扣补缴。", None),
        ("W5-U12", None, None, None,
         "个别领导办公室面积略超标准，已完成调整。", None),
    ]
    for uid, key, nat, itext, utext, yuan in pair_specs:
        if key is None:
            pairs.append((keys[uid], uid.split("-")[1], utext))
            continue
        t, l = lab(key, nat, target="discipline" if nat == "lead" else None)
        f = cur.add(t, uid, text=itext, label=l, amount_p=0)
        if yuan:
            f["amount"] = {"fen": str(yuan * 100)}
        pairs.append((f, uid, utext))

    # Negations (~8%), leads, multi-area, vague wording and coverage of every group.
    rng = cur.rng
    counts = {u[0]: 0 for u in UNITS}
    for f, _ in cur.findings:
        counts[f["unit"]["id"]] += 1

    # Each subcategory has one or two "home" units where the ordinary findings
    # fall, so that cross-unit patterns come from the planned cases above rather
    # than from spreading every subcategory over every unit.
    home = {}
    for g in problem_groups:
        fit = [u[0] for u in UNITS if any(fits(t, u) for t in by_group[g] if "{u}" in t.text)]
        home[g] = rng.sample(fit, min(len(fit), rng.choice([1, 2, 2]))) if fit else []

    per_unit_group = collections.Counter(
        (f["unit"]["id"], t["category"] + "/" + t["subcategory"])
        for f, t in cur.findings if t.get("is_problem"))
    per_group = collections.Counter(g for _, g in per_unit_group.elements())

    def pick_unit(t):
        cands = [u[0] for u in UNITS if fits(t, unit_by_id(u[0]))]
        if not t.neg and home.get(t.group):
            cands = [c for c in cands if c in home[t.group]] or cands
        if not t.neg:
            # No unplanned concentration: at most two of a subcategory per unit.
            cands = [c for c in cands if per_unit_group[(c, t.primary)] < 2]
        if t.prior:
            # A text saying "上轮巡察指出的…" needs that earlier finding.
            cands = [c for c in cands if (c, t.prior) in prev_problems]
        if "{u}" not in t.text or t.keys.get("n") == "widespread":
            cands = ["U01"]
        if not cands:
            return None
        low = min(counts[c] for c in cands)
        best = [c for c in cands if counts[c] <= low + 2]
        uid = rng.choice(best)
        counts[uid] += 1
        return uid

    def usable(t):
        # Sample texts are about the unit itself: skip the DOMAIN §8 fixed texts.
        return "{u}" in t.text or t.section == "rectification/common_issue_governance"

    used_pairs = set()  # one sentence pattern is not written twice for one unit

    def add_somewhere(t, **kw):
        uid = pick_unit(t)
        if uid is None or (t.lineno, uid) in used_pairs:
            return None
        used_pairs.add((t.lineno, uid))
        f = cur.add(t, uid, **kw)
        if f is not None and not t.neg:
            per_unit_group[(uid, t.primary)] += 1
            per_group[t.primary] += 1
        return f

    neg_ts = [t for g in sorted(by_group) if g.startswith("neg:") or g == "none"
              for t in by_group[g] if "{u}" in t.text]
    for i in range(30):
        add_somewhere(neg_ts[i % len(neg_ts)])
    for g in problem_groups:
        ts = [t for t in by_group[g] if usable(t)]
        rng.shuffle(ts)
        for t in ts:
            if add_somewhere(t):
                break
    leads = [t for g in problem_groups for t in by_group[g]
             if usable(t) and t.keys.get("n") == "lead"]
    multi = [t for g in problem_groups for t in by_group[g] if usable(t) and t.secondary]
    vague = [t for g in problem_groups for t in by_group[g] if usable(t) and t.keys.get("vague")]
    for pool, n in ((leads, 12), (multi, 10), (vague, 4)):
        for t in rng.sample(pool, min(n, len(pool))):
            add_somewhere(t)
    # Large-amount leads.
    for uid, key, text in [
        ("U13", "assets/investment_loss", "{u}收购某光伏项目公司股权{a:1.1e:1.6e}，收购前未开展尽职调查，收购后累计亏损{a2:3000w:6000w}，相关决策人员与出让方实际控制人存在密切往来。"),
        ("U15", "integrity/interest_transfer", "{u}将{a:3000w:8000w}的商品房包销业务交由{lead}亲属控制的安居房地产营销策划有限公司承接，包销价格明显低于市场价。"),
        ("U09", "integrity/bribery", "据反映，{u}{pos}{per}在{proj}结算中为{con}多结算工程款提供帮助，收受对方所送现金{a:30w:90w}。"),
    ]:
        t, l = lab(key, "lead", target="discipline")
        if "{u}收购" in text:
            l["secondary"] = [{"category": "integrity", "subcategory": "interest_transfer"}]
        cur.add(t, uid, text=text, label=l, amount_p=0.8)
    # Fill the rest.
    fill = [t for g in problem_groups for t in by_group[g] if usable(t)
            and t.keys.get("n") != "widespread"]
    # Any group, at most four findings each; prefer the less common sources, so
    # every style of note is well represented.
    while len(cur.findings) < 352:
        g = rng.choice(problem_groups)
        ts = [t for t in fill if t.group == g]
        if not ts or per_group[g] >= 4:
            continue
        add_somewhere(rng.choices(ts, [1.0 if t.src == "doc" else 3.0 for t in ts])[0])
    annotate_patterns(cur, prev_problems)
    cur.renumber()
    # Units' self-check lines.
    sc_rng = random.Random(20250401)
    self_check = []
    truth_pairs = []
    seq = {}
    only_unit = {
        "U05": ["职工食堂食材采购未定期开展比价，价格偏高。", "部分办公设备未及时登记固定资产卡片。",
                "安全培训记录不完整，新入职员工三级教育档案缺失。"],
        "U07": ["部分仓库消防器材过期未更换。", "个别合同签订前未经法律审核。", "司机出车补助发放标准不统一。"],
        "U12": ["信息系统权限管理不严格，离职人员账号未及时注销。", "部分客户资料归档不及时。"],
    }
    # Both kinds of unit lines, shuffled per unit so that numbering tells nothing.
    per_unit = {}
    for f, uid, utext in pairs:
        per_unit.setdefault(uid, []).append((f, utext))
    for uid, texts in only_unit.items():
        per_unit.setdefault(uid, []).extend((None, t) for t in texts)
    for uid in sorted(per_unit):
        lines = per_unit[uid]
        sc_rng.shuffle(lines)
        for i, (f, utext) in enumerate(lines, 1):
            sid = "SC-%s-%02d" % (uid, i)
            self_check.append((uid, sid, utext))
            if f is not None:
                truth_pairs.append({"inspector_id": f["id"], "unit_id": sid})
    truth_pairs.sort(key=lambda p: p["unit_id"])
    sc_lines = []
    for uid, sid, text in self_check:
        unit = unit_by_id(uid)
        f = {"id": sid, "unit": unit_json(unit), "round": "2025-1", "text": text,
             "found_on": date_in(sc_rng, (2025, 2, 20), (2025, 3, 5)),
             "source": "SOURCE_KIND_SELF_CHECK"}
        m = re.search(r"([0-9.,]+)(万)?元|([零一二三四五六七八九十百千万两]+)元", text)
        if m and sc_rng.random() < 0.7:
            if m.group(1):
                v = float(m.group(1).replace(",", "")) * (10000 if m.group(2) else 1)
                f["amount"] = {"fen": str(int(round(v * 100)))}
        f["inspector_team"] = "单位自查"
        sc_lines.append(dump(f))

    return prev, prev_states, cur, sc_lines, truth_pairs


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=ROOT, help="repository root to write data/ under")
    ap.add_argument("--dev-only", action="store_true",
                    help="write only data/labelled/dev.jsonl (from tools/dev_templates/) "
                         "and data/labelled/val.jsonl (from tools/val_templates/)")
    args = ap.parse_args()
    templates = load_templates(TEMPLATES)

    corpus = labelled_corpus(templates)
    taken = set()
    for line in corpus["tune"] + corpus["heldout"]:
        text = json.loads(line)["finding"]["text"]
        taken.add(re.sub(r"[,，]", "", text.translate(UNFULLWIDTH)))
    dev = dev_corpus(taken)
    write_lines(os.path.join(args.out, "data/labelled/dev.jsonl"), dev)
    val = dev_corpus(taken, VAL_TEMPLATES, pool="D", prefix="val")
    write_lines(os.path.join(args.out, "data/labelled/val.jsonl"), val)
    if args.dev_only:
        print("dev %d, val %d" % (len(dev), len(val)))
        return
    write_lines(os.path.join(args.out, "data/labelled/tune.jsonl"), corpus["tune"])
    write_lines(os.path.join(args.out, "data/labelled/heldout.jsonl"), corpus["heldout"])

    prev, prev_states, cur, sc_lines, truth_pairs = sample_rounds(templates)
    sample = os.path.join(args.out, "data/sample")
    write_lines(os.path.join(sample, "units.jsonl"), [dump(unit_json(u)) for u in UNITS])
    write_lines(os.path.join(sample, "round-2025-1.jsonl"), [dump(f) for f, _ in cur.findings])
    write_lines(os.path.join(sample, "round-2025-1.truth.jsonl"), [dump(t) for _, t in cur.findings])
    write_lines(os.path.join(sample, "round-2024-2.jsonl"), [dump(f) for f, _ in prev.findings])
    write_lines(os.path.join(sample, "round-2024-2.labels.jsonl"), [
        dump({"finding_id": f["id"], "category": t.get("category", ""),
              "subcategory": t.get("subcategory", ""), "state": prev_states[f["id"]]})
        for f, t in prev.findings])
    write_lines(os.path.join(sample, "unit-self-check.jsonl"), sc_lines)
    write_lines(os.path.join(sample, "reconcile-truth.jsonl"), [dump(p) for p in truth_pairs])
    print("tune %d, heldout %d, dev %d, val %d, round-2025-1 %d, round-2024-2 %d, self-check %d, pairs %d" % (
        len(corpus["tune"]), len(corpus["heldout"]), len(dev), len(val), len(cur.findings), len(prev.findings),
        len(sc_lines), len(truth_pairs)))


if __name__ == "__main__":
    main()
