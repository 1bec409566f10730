"""Opens an .xlsx written by `xuncha ledger export` by reading its XML.

usage: ledger_xlsx_check.py XUNCHA_CLI SOURCE_DIR WORK_DIR
Exit 0 when the sheet has the Chinese headers and cells, the frozen header
row, the autofilter, column widths, wrapped text and numeric amounts.
"""
import os
import re
import subprocess
import sys
import zipfile

cli, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
db = os.path.join(work, "xlsx.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
data = os.path.join(src, "tests", "testdata", "ledger")
common = ["--db", db, "--now", "2024-06-01T09:00:00Z"]
subprocess.run([cli, "ledger", "import", *common, os.path.join(data, "classified.jsonl")], check=True)
out = os.path.join(work, "ledger.xlsx")
subprocess.run([cli, "ledger", "export", *common, "--format", "xlsx", "-o", out], check=True)

failures = []
def check(cond, what):
    if not cond:
        failures.append(what)

with zipfile.ZipFile(out) as z:
    names = set(z.namelist())
    check("xl/sharedStrings.xml" in names, "sharedStrings.xml present")
    shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    workbook = z.read("xl/workbook.xml").decode("utf-8")
    styles = z.read("xl/styles.xml").decode("utf-8")

headers = ["序号", "问题编号", "来源", "轮次", "被巡察单位", "问题类别", "问题子类", "问题描述",
           "涉及金额(元)", "定性(纪律)", "性质", "依据", "处置方式", "移交对象", "责任单位/部门",
           "责任领导", "责任人", "整改措施", "整改目标/验收标准", "整改时限", "整改状态", "完成时间",
           "佐证材料", "清退/追缴金额(元)", "问责情况", "建章立制", "销号时间", "公开范围", "备注"]
strings = re.findall(r"<t(?: [^>]*)?>(.*?)</t>", shared, re.S)
for h in headers:
    check(h in strings, "header %s in sharedStrings" % h)
check(strings[:29] == headers, "headers first, in order")
for cell in ["A公司检修分部", "化整为零/肢解发包/拆分标段规避", "工程招投标", "疑点", "党内", "限期整改",
             "(虚构) B分公司办公楼外立面改造3月开工，5月才发招标公告。"]:
    check(cell in strings, "cell %s in sharedStrings" % cell)
check("L-007" not in strings, "withheld lead excluded from the internal export")
check("问题台账" in workbook, "sheet named 问题台账")
check(re.search(r'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>', sheet)
      is not None, "frozen header row")
check('<autoFilter ref="A1:AC12"/>' in sheet, "autofilter over header and 11 rows")
check(re.search(r'<col min="8" max="8" width="50', sheet) is not None, "问题描述 column width 50")
check("<v>5200000</v>" in sheet, "amount 5200000.00 as a number")
check('wrapText="1"' in styles, "wrapped text style")
check("<b/>" in styles, "bold header style")
check(len(re.findall(r"<row ", sheet)) == 12, "12 rows (header + 11 entries)")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: %d shared strings, %d bytes" % (len(strings), os.path.getsize(out)))
