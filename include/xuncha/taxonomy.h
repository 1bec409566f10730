// The taxonomy of inspection findings (shared/DOMAIN.md): categories and
// their subcategories, disciplines, natures, dispositions, transfer targets
// and ledger lifecycle states, each as a stable id with its Chinese name.
// The ids are the interchange contract between tools.
//
//   if (!xuncha::IsSubcategory("bidding", "split_to_evade")) ...
//   xuncha::CategoryName("bidding")  // "工程招投标"
//
// Everything here is immutable and thread-safe.

#ifndef XUNCHA_TAXONOMY_H_
#define XUNCHA_TAXONOMY_H_

#include <string_view>
#include <vector>

#include "xuncha/export.h"

namespace xuncha {

struct TaxonomyEntry {
  std::string_view id;
  std::string_view name;  // Chinese
};

struct CategoryInfo {
  std::string_view id;
  std::string_view name;
  std::vector<TaxonomyEntry> subcategories;
};

// In the order of DOMAIN.md.
XUNCHA_EXPORT const std::vector<CategoryInfo>& Taxonomy();
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& Disciplines();   // political … none
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& Natures();       // general … lead
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& Dispositions();  // rectify_now … none
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& TransferTargets();  // discipline, organization
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& LifecycleStates();  // draft … reopened

XUNCHA_EXPORT const CategoryInfo* FindCategory(std::string_view id);
XUNCHA_EXPORT bool IsCategory(std::string_view id);
XUNCHA_EXPORT bool IsSubcategory(std::string_view category, std::string_view subcategory);
XUNCHA_EXPORT bool IsDiscipline(std::string_view id);
XUNCHA_EXPORT bool IsNature(std::string_view id);
XUNCHA_EXPORT bool IsDisposition(std::string_view id);
XUNCHA_EXPORT bool IsTransferTarget(std::string_view id);
XUNCHA_EXPORT bool IsLifecycleState(std::string_view id);

// Chinese names; the id itself when unknown, "" for "".
XUNCHA_EXPORT std::string_view CategoryName(std::string_view category);
XUNCHA_EXPORT std::string_view SubcategoryName(std::string_view category,
                                               std::string_view subcategory);
XUNCHA_EXPORT std::string_view DisciplineName(std::string_view id);
XUNCHA_EXPORT std::string_view NatureName(std::string_view id);
XUNCHA_EXPORT std::string_view DispositionName(std::string_view id);
XUNCHA_EXPORT std::string_view TransferTargetName(std::string_view id);
XUNCHA_EXPORT std::string_view LifecycleStateName(std::string_view id);

}  // namespace xuncha

#endif  // XUNCHA_TAXONOMY_H_
