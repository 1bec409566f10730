#include "xuncha/taxonomy.h"

namespace xuncha {

namespace {

const TaxonomyEntry* FindEntry(const std::vector<TaxonomyEntry>& entries, std::string_view id) {
  for (const TaxonomyEntry& e : entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string_view NameOr(const TaxonomyEntry* e, std::string_view id) {
  return e != nullptr ? e->name : id;
}

}  // namespace

const std::vector<TaxonomyEntry>& Disciplines() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"political", "政治纪律"}, {"organizational", "组织纪律"}, {"integrity", "廉洁纪律"},
      {"mass", "群众纪律"},      {"work", "工作纪律"},           {"life", "生活纪律"},
      {"none", "不涉及违纪"},
  };
  return *v;
}

const std::vector<TaxonomyEntry>& Natures() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"general", "一般性问题"},    {"incipient", "苗头性问题"},
      {"tendency", "倾向性问题"},   {"widespread", "普遍性问题"},
      {"concentrated", "集中性问题"}, {"lead", "问题线索"},
  };
  return *v;
}

const std::vector<TaxonomyEntry>& Dispositions() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"rectify_now", "立行立改"},
      {"rectify_by_deadline", "限期整改"},
      {"transfer_lead", "移交问题线索"},
      {"none", "无需处置"},
  };
  return *v;
}

const std::vector<TaxonomyEntry>& TransferTargets() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"discipline", "纪检监察机关"},
      {"organization", "组织部门"},
  };
  return *v;
}

const std::vector<TaxonomyEntry>& LifecycleStates() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"draft", "疑点"},          {"verifying", "核实中"},
      {"written_off", "已销号(不成立)"}, {"confirmed", "已确认"},
      {"claimed", "已认领"},      {"assigned", "已交办"},
      {"in_progress", "整改中"},  {"overdue", "逾期"},
      {"submitted", "已报送佐证"}, {"accepted", "已验收"},
      {"closed", "已销号"},       {"reopened", "重新打开"},
      {"transferred", "已移交"},  {"feedback_received", "已反馈"},
  };
  return *v;
}

const CategoryInfo* FindCategory(std::string_view id) {
  for (const CategoryInfo& c : Taxonomy()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

bool IsCategory(std::string_view id) { return FindCategory(id) != nullptr; }

bool IsSubcategory(std::string_view category, std::string_view subcategory) {
  const CategoryInfo* c = FindCategory(category);
  return c != nullptr && FindEntry(c->subcategories, subcategory) != nullptr;
}

bool IsDiscipline(std::string_view id) { return FindEntry(Disciplines(), id) != nullptr; }
bool IsNature(std::string_view id) { return FindEntry(Natures(), id) != nullptr; }
bool IsDisposition(std::string_view id) { return FindEntry(Dispositions(), id) != nullptr; }
bool IsTransferTarget(std::string_view id) { return FindEntry(TransferTargets(), id) != nullptr; }
bool IsLifecycleState(std::string_view id) { return FindEntry(LifecycleStates(), id) != nullptr; }

std::string_view CategoryName(std::string_view category) {
  const CategoryInfo* c = FindCategory(category);
  return c != nullptr ? c->name : category;
}

std::string_view SubcategoryName(std::string_view category, std::string_view subcategory) {
  const CategoryInfo* c = FindCategory(category);
  if (c == nullptr) return subcategory;
  return NameOr(FindEntry(c->subcategories, subcategory), subcategory);
}

std::string_view DisciplineName(std::string_view id) { return NameOr(FindEntry(Disciplines(), id), id); }
std::string_view NatureName(std::string_view id) { return NameOr(FindEntry(Natures(), id), id); }
std::string_view DispositionName(std::string_view id) { return NameOr(FindEntry(Dispositions(), id), id); }
std::string_view TransferTargetName(std::string_view id) {
  return NameOr(FindEntry(TransferTargets(), id), id);
}
std::string_view LifecycleStateName(std::string_view id) {
  return NameOr(FindEntry(LifecycleStates(), id), id);
}

}  // namespace xuncha
