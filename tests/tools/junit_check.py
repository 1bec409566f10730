"""Runs `xuncha test --junit` on tests/testdata/tools/rules.textproto and
parses the XML back with ElementTree: well-formed, and counts that match the
text report (9 testcases, 3 failures, one <failure> per failing case).

usage: junit_check.py XUNCHA_CLI SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

cli, source = sys.argv[1], sys.argv[2]
data = os.path.join(source, "tests", "testdata", "tools")
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "junit.xml")
    run = subprocess.run([cli, "test", "rules.textproto", "--junit", out], cwd=data,
                         capture_output=True, text=True)
    assert run.returncode == 1, run
    assert run.stdout.endswith("\n6 passed, 3 failed\n"), run.stdout
    root = ET.parse(out).getroot()
assert root.tag == "testsuites", root.tag
assert root.get("tests") == "9" and root.get("failures") == "3", root.attrib
suites = root.findall("testsuite")
assert [s.get("name") for s in suites] == ["rules.textproto"], suites
cases = root.findall("./testsuite/testcase")
assert len(cases) == 9, len(cases)
failures = root.findall("./testsuite/testcase/failure")
assert sorted(f.get("type") for f in failures) == [
    "example-no-fire", "example-wrong-conclusion", "near-miss-fires"], failures
assert all(c.get("classname") and c.get("name") and c.get("line") for c in cases)
print("junit ok:", len(cases), "testcases,", len(failures), "failures")
