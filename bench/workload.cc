#include "workload.h"

#include <algorithm>
#include <set>

namespace xuncha::bench {

namespace {

// splitmix64: deterministic, portable.
uint64_t Next(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
size_t Pick(uint64_t* s, size_t n) { return static_cast<size_t>(Next(s) % n); }

const std::vector<std::string>& Words() {
  static const auto* w = new std::vector<std::string>{
      "采购", "招标", "投标", "评标", "合同", "工程", "项目", "资金", "费用", "报销", "津贴", "补贴",
      "奖金", "福利", "车辆", "接待", "宴请", "礼品", "干部", "提拔", "招聘", "党委", "支部", "会议",
      "学习", "整改", "资产", "出租", "投资", "审批", "验收", "供应商", "分包", "询价", "比价", "预算",
      "档案", "台账", "发票", "票据", "现金", "账户", "存款", "贷款", "担保", "物资", "设备", "材料",
      "库存", "仓库", "运输", "燃油", "加油", "维修", "保养", "监理", "设计", "施工", "结算", "决算",
      "变更", "签证", "考核", "考勤", "加班", "值班", "差旅", "培训", "会务", "办公", "用房", "装修",
      "家具", "电脑", "软件", "系统", "数据", "信息", "安全", "生产", "环保", "质量", "检测", "检验",
      "技术", "咨询", "租赁", "土地", "房产", "股权", "债权", "利润", "收入", "成本", "税费", "社保",
      "年金", "医疗", "保险", "慰问", "节日", "购物", "消费", "旅游", "考察", "出国", "公务", "用车",
      "司机", "油卡", "食堂", "餐费", "酒水", "烟酒", "茶叶", "会员", "球场", "会所", "婚丧", "兼职",
      "薪酬", "绩效", "工资", "总额", "岗位", "职数", "任免", "回避", "亲属", "关联", "利益", "输送",
  };
  return *w;
}

const std::vector<std::string>& Prefixes() {
  static const auto* p = new std::vector<std::string>{"未", "没有", "违规", "擅自", "未经", "超标准",
                                                      "虚列", "套取", "变相", "私自"};
  return *p;
}

const std::vector<std::string>& Fillers() {
  static const auto* f = new std::vector<std::string>{
      "的", "了", "在", "中", "对", "与", "和", "及", "等", "有", "是", "将", "由", "为", "并", "但",
      "其", "该", "部分", "相关", "存在", "问题", "情况", "发现", "经查", "查阅", "显示", "反映",
      "其中", "期间", "年度", "单位", "公司", "部门", "人员", "负责人", "领导", "职工", "一些",
      "个别", "较多", "明显", "长期", "多次", "仍然", "有关", "规定", "要求", "制度", "管理",
  };
  return *f;
}

const std::vector<std::string>& NegationPhrases() {
  static const auto* n = new std::vector<std::string>{"经核实不存在", "未发现异常", "已整改到位",
                                                      "均已按规定", "予以澄清"};
  return *n;
}

const char* kPunct[] = {"，", "。", "；", "、"};

std::string Phrase(uint64_t* s) {
  const auto& w = Words();
  std::string a = w[Pick(s, w.size())], b;
  do b = w[Pick(s, w.size())];
  while (b == a);
  return a + b;
}

std::string FillerRun(uint64_t* s, int chars) {
  std::string out;
  int n = 0;
  while (n < chars) {
    const std::string& f = Fillers()[Pick(s, Fillers().size())];
    out += f;
    n += static_cast<int>(f.size() / 3);
    if (Pick(s, 5) == 0) {
      out += kPunct[Pick(s, 4)];
      ++n;
    }
  }
  return out;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string Component::Regex() const {
  switch (form) {
    case kLiteral:
      return literals[0];
    case kAlternation: {
      std::string r = "(";
      for (size_t i = 0; i < literals.size(); ++i) r += (i ? "|" : "") + literals[i];
      return r + ")";
    }
    case kGap:
    case kWideGap:
      return literals[0] + ".{0," + std::to_string(gap) + "}" + literals[1];
  }
  return "";
}

std::string Component::Condition() const {
  switch (form) {
    case kLiteral:
      return "text.contains(\"" + Escape(literals[0]) + "\")";
    case kAlternation: {
      // Authors write alternations both ways; both are one predicate.
      if (literals.size() % 2 == 0) return "text.matches(\"" + Escape(Regex()) + "\")";
      std::string r = "text.containsAny([";
      for (size_t i = 0; i < literals.size(); ++i) r += (i ? ", \"" : "\"") + Escape(literals[i]) + "\"";
      return r + "])";
    }
    case kGap:
    case kWideGap:
      return "text.matches(\"" + Escape(Regex()) + "\")";
  }
  return "";
}

std::string Component::Instance(uint64_t* s) const {
  switch (form) {
    case kLiteral:
      return literals[0];
    case kAlternation:
      return literals[Pick(s, literals.size())];
    case kGap:
    case kWideGap: {
      int chars = static_cast<int>(Pick(s, static_cast<size_t>(gap) + 1));
      std::string mid;
      int n = 0;
      while (n < chars) {
        const std::string& f = Fillers()[Pick(s, Fillers().size())];
        if (n + static_cast<int>(f.size() / 3) > chars) {
          mid += "的";
          ++n;
          continue;
        }
        mid += f;
        n += static_cast<int>(f.size() / 3);
      }
      return literals[0] + mid + literals[1];
    }
  }
  return "";
}

Workload MakeWorkload(int num_rules, int num_findings, uint64_t seed) {
  Workload w;
  uint64_t s = seed * 1000003 + static_cast<uint64_t>(num_rules);
  std::set<std::string> used;
  auto fresh_phrase = [&] {
    for (;;) {
      std::string p = Phrase(&s);
      if (used.insert(p).second) return p;
    }
  };
  for (int i = 0; i < num_rules; ++i) {
    GenRule r;
    char id[32];
    std::snprintf(id, sizeof id, "gen.r%04d", i);
    r.id = id;
    size_t kind = Pick(&s, 100);
    Component c;
    if (kind < 35) {
      c.form = Component::kAlternation;
      for (int k = 0; k < 3; ++k) c.literals.push_back(fresh_phrase());
      r.positive.push_back(c);
      Component d;
      d.form = Component::kLiteral;
      d.literals.push_back(fresh_phrase());
      r.positive.push_back(d);
    } else if (kind < 60) {
      c.form = Component::kGap;
      c.gap = 8;
      c.literals = {Prefixes()[Pick(&s, Prefixes().size())], fresh_phrase()};
      r.positive.push_back(c);
    } else if (kind < 75) {
      c.form = Component::kWideGap;
      c.gap = 30;
      c.literals = {fresh_phrase(), fresh_phrase()};
      r.positive.push_back(c);
    } else if (kind < 90) {
      c.form = Component::kLiteral;
      c.literals = {fresh_phrase()};
      Component d = c;
      d.literals = {fresh_phrase()};
      r.positive = {c, d};
    } else {
      c.form = Component::kAlternation;
      for (int k = 0; k < 4; ++k) c.literals.push_back(fresh_phrase());
      r.positive.push_back(c);
    }
    if (Pick(&s, 10) < 3) {
      Component n;
      n.form = Component::kLiteral;
      n.literals = {NegationPhrases()[Pick(&s, NegationPhrases().size())]};
      r.negative.push_back(n);
    }
    if (Pick(&s, 10) < 3) {
      static const int64_t kWan[] = {5, 10, 50, 100, 400};
      r.min_amount_fen = kWan[Pick(&s, 5)] * 10000 * 100;
    }
    w.rules.push_back(std::move(r));
  }

  w.findings.reserve(num_findings);
  for (int i = 0; i < num_findings; ++i) {
    v1::Finding f;
    char id[32];
    std::snprintf(id, sizeof id, "W%07d", i);
    f.set_id(id);
    f.mutable_unit()->set_id("U" + std::to_string(Pick(&s, 200)));
    int targets = 2 + static_cast<int>(Pick(&s, 4));  // 2..5
    std::vector<std::string> pieces;
    int64_t amount = 0;
    for (int t = 0; t < targets && num_rules > 0; ++t) {
      const GenRule& r = w.rules[Pick(&s, w.rules.size())];
      for (const Component& c : r.positive) pieces.push_back(c.Instance(&s));
      if (r.min_amount_fen) amount = std::max(amount, *r.min_amount_fen + static_cast<int64_t>(Pick(&s, 100000)));
    }
    if (Pick(&s, 10) == 0) pieces.push_back(NegationPhrases()[Pick(&s, NegationPhrases().size())]);
    std::string text = FillerRun(&s, 6);
    for (const std::string& p : pieces) {
      text += p;
      text += FillerRun(&s, 8 + static_cast<int>(Pick(&s, 20)));
      text += kPunct[Pick(&s, 4)];
    }
    // Pad to ~150 characters on average.
    int have = 0;
    for (size_t k = 0; k < text.size(); ++k) have += (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80;
    if (have < 150) text += FillerRun(&s, static_cast<int>(Pick(&s, 2 * (150 - have) + 1)));
    text += "。";
    f.set_text(text);
    if (amount > 0 || Pick(&s, 3) == 0) f.mutable_amount()->set_fen(amount > 0 ? amount : static_cast<int64_t>(Pick(&s, 100000000)));
    w.findings.push_back(std::move(f));
  }
  return w;
}

std::string Workload::RuleFile() const {
  std::string out = "name: \"bench\"\nversion: \"" + std::to_string(rules.size()) + "\"\n";
  for (const GenRule& r : rules) {
    std::string cond;
    for (const Component& c : r.positive) cond += (cond.empty() ? "" : " && ") + c.Condition();
    for (const Component& c : r.negative) cond += " && !" + c.Condition();
    if (r.min_amount_fen) cond += " && amount >= wan(" + std::to_string(*r.min_amount_fen / 1000000) + ")";
    out += "rule {\n  id: \"" + r.id + "\"\n  title: \"生成规则\"\n  when: '" + cond +
           "'\n  category: \"other\"\n  score: 0.5\n}\n";
  }
  return out;
}

size_t Workload::text_bytes() const {
  size_t n = 0;
  for (const auto& f : findings) n += f.text().size();
  return n;
}

bool RuleFires(const GenRule& rule, const std::vector<bool>& positive_matched,
               const std::vector<bool>& negative_matched, const v1::Finding& finding) {
  for (bool m : positive_matched) {
    if (!m) return false;
  }
  for (bool m : negative_matched) {
    if (m) return false;
  }
  if (rule.min_amount_fen && finding.amount().fen() < *rule.min_amount_fen) return false;
  return true;
}

}  // namespace xuncha::bench
