// Masking of personal data in exports (rules in include/xuncha/ledger_export.h).
//
// Design note: RE2 finds candidates; the boundaries RE2 cannot express
// without look-around (not inside a longer digit run; a surname + 某 that
// continues as an organisation, 某公司) are checked by hand around each
// match, and the scan resumes one character later when a candidate is
// rejected, so an overlapping real match is not lost.

#include <algorithm>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "base/utf8.h"
#include "xuncha/ledger_export.h"

namespace xuncha {

namespace {

const RE2& IdCardRe() {
  static const RE2* re = new RE2(
      "[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
      "[0-9]{3}[0-9Xx]");
  return *re;
}

const RE2& MobileRe() {
  static const RE2* re = new RE2("1[3-9][0-9]{9}");
  return *re;
}

// Common surnames (compound ones first so that 欧阳某 keeps 欧阳).
const RE2& PseudonymRe() {
  static const RE2* re = new RE2(
      "(欧阳|司马|诸葛|上官|东方|皇甫|令狐|慕容|"
      "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
      "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
      "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷"
      "詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛"
      "靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜"
      "冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查"
      "麻苑迟邝])"
      "(某某|某|XX|X|xx|x|××|×|ＸＸ|Ｘ|\\*\\*|\\*)");
  return *re;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWithAny(std::string_view s, const std::vector<std::string_view>& prefixes) {
  for (std::string_view p : prefixes) {
    if (s.substr(0, p.size()) == p) return true;
  }
  return false;
}

// Replaces every acceptable match of `re` in `text`. `accept` sees the text
// and the match [b, e); `replace` gives the new text for the match.
template <typename Accept, typename Replace>
std::string ReplaceMatches(std::string_view text, const RE2& re, int groups, Accept accept,
                           Replace replace) {
  std::string out;
  size_t copied = 0;
  size_t pos = 0;
  std::vector<re2::StringPiece> m(static_cast<size_t>(groups) + 1);
  re2::StringPiece input(text.data(), text.size());
  while (pos <= text.size() &&
         re.Match(input, pos, text.size(), RE2::UNANCHORED, m.data(), groups + 1)) {
    size_t b = static_cast<size_t>(m[0].data() - text.data());
    size_t e = b + m[0].size();
    if (!accept(text, b, e)) {
      // Resume after the first character of the rejected match.
      size_t i = b;
      utf8::Decode(text, &i);
      pos = i;
      continue;
    }
    out.append(text.substr(copied, b - copied));
    out += replace(m);
    copied = e;
    pos = e > b ? e : e + 1;
  }
  out.append(text.substr(std::min(copied, text.size())));
  return out;
}

}  // namespace

std::string MaskName(std::string_view name) {
  if (name.empty()) return "";
  size_t i = 0;
  utf8::Decode(name, &i);
  return std::string(name.substr(0, i)) + "**";
}

std::string MaskText(std::string_view text, const std::vector<std::string>& person_names) {
  std::string s(text);
  // Known person names, longest first so that 张三丰 is not cut at 张三.
  std::vector<std::string> names;
  for (const std::string& n : person_names) {
    if (utf8::CountChars(n) >= 2) names.push_back(n);
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  for (const std::string& n : names) {
    std::string masked = MaskName(n);
    std::string next;
    size_t from = 0;
    for (size_t at; (at = s.find(n, from)) != std::string::npos; from = at + n.size()) {
      next.append(s, from, at - from);
      next += masked;
    }
    next.append(s, std::min(from, s.size()), std::string::npos);
    s = std::move(next);
  }
  auto digit_bounded = [](std::string_view t, size_t b, size_t e) {
    return (b == 0 || !IsDigit(t[b - 1])) && (e >= t.size() || !IsDigit(t[e]));
  };
  s = ReplaceMatches(
      s, IdCardRe(), 0,
      [&](std::string_view t, size_t b, size_t e) {
        return digit_bounded(t, b, e) && (e >= t.size() || (t[e] != 'X' && t[e] != 'x'));
      },
      [](const std::vector<re2::StringPiece>& m) {
        std::string v(m[0].data(), m[0].size());
        return v.substr(0, 3) + std::string(11, '*') + v.substr(14);
      });
  s = ReplaceMatches(s, MobileRe(), 0, digit_bounded,
                     [](const std::vector<re2::StringPiece>& m) {
                       std::string v(m[0].data(), m[0].size());
                       return v.substr(0, 3) + "****" + v.substr(7);
                     });
  static const std::vector<std::string_view> kOrg = {
      "公司", "单位", "部门", "项目", "集团", "企业", "科室", "供应商", "银行",
      "年",   "月",   "日",   "号",   "厂",   "局",   "处",   "院"};
  s = ReplaceMatches(
      s, PseudonymRe(), 2,
      [&](std::string_view t, size_t b, size_t e) { return !StartsWithAny(t.substr(e), kOrg); },
      [](const std::vector<re2::StringPiece>& m) {
        return std::string(m[1].data(), m[1].size()) + "**";
      });
  return s;
}

v1::LedgerEntry MaskEntry(const v1::LedgerEntry& entry) {
  v1::LedgerEntry e = entry;
  std::vector<std::string> names;
  for (v1::Counterparty& c : *e.mutable_finding()->mutable_counterparties()) {
    if (c.kind() == v1::COUNTERPARTY_KIND_PERSON) {
      names.push_back(c.name());
      c.set_name(MaskName(c.name()));
      c.set_id(MaskText(c.id()));
    }
  }
  v1::Rectification* r = e.mutable_rectification();
  for (const std::string& n : {r->responsible_leader(), r->responsible_person()}) {
    if (!n.empty()) names.push_back(n);
  }
  auto mask = [&](std::string* s) { *s = MaskText(*s, names); };
  r->set_responsible_leader(MaskName(r->responsible_leader()));
  r->set_responsible_person(MaskName(r->responsible_person()));
  mask(e.mutable_finding()->mutable_text());
  for (v1::EvidenceRef& ref : *e.mutable_finding()->mutable_evidence()) {
    mask(ref.mutable_description());
  }
  // Evidence spans point into the unmasked text: their offsets would be
  // wrong and their text would leak, so masked entries carry none.
  for (v1::RuleHit& hit : *e.mutable_classification()->mutable_hits()) hit.clear_spans();
  mask(r->mutable_measures());
  mask(r->mutable_target());
  mask(r->mutable_evidence());
  mask(r->mutable_accountability());
  mask(r->mutable_extension_reason());
  for (v1::Explanation& x : *e.mutable_explanations()) {
    mask(x.mutable_text());
    mask(x.mutable_actor());
  }
  mask(e.mutable_write_off_reason());
  mask(e.mutable_write_off_basis());
  mask(e.mutable_note());
  mask(e.mutable_feedback());
  for (v1::Escalation& x : *e.mutable_escalations()) mask(x.mutable_note());
  for (v1::Transition& t : *e.mutable_history()) {
    mask(t.mutable_note());
    mask(t.mutable_actor());
  }
  return e;
}

}  // namespace xuncha
