#include "xuncha/taxonomy.h"

#include <gtest/gtest.h>

namespace xuncha {
namespace {

TEST(TaxonomyTest, HasEveryCategoryOfDomain) {
  EXPECT_EQ(Taxonomy().size(), 14u);
  EXPECT_TRUE(IsSubcategory("bidding", "split_to_evade"));
  EXPECT_TRUE(IsSubcategory("procurement", "split_to_evade"));
  EXPECT_FALSE(IsSubcategory("payroll", "split_to_evade"));
  EXPECT_EQ(CategoryName("eight_point"), "中央八项规定精神/四风");
  EXPECT_EQ(SubcategoryName("payroll", "ghost_pay"), "吃空饷");
  EXPECT_EQ(CategoryName("nonsense"), "nonsense");
}

TEST(TaxonomyTest, EverySubcategoryHasAChineseName) {
  size_t count = 0;
  for (const CategoryInfo& c : Taxonomy()) {
    EXPECT_FALSE(c.name.empty()) << c.id;
    for (const TaxonomyEntry& s : c.subcategories) {
      EXPECT_FALSE(s.name.empty()) << c.id << "/" << s.id;
      ++count;
    }
  }
  EXPECT_EQ(count, 114u);
}

TEST(TaxonomyTest, QualificationIds) {
  for (auto id : {"political", "organizational", "integrity", "mass", "work", "life", "none"}) {
    EXPECT_TRUE(IsDiscipline(id)) << id;
  }
  for (auto id : {"general", "incipient", "tendency", "widespread", "concentrated", "lead"}) {
    EXPECT_TRUE(IsNature(id)) << id;
  }
  for (auto id : {"rectify_now", "rectify_by_deadline", "transfer_lead", "none"}) {
    EXPECT_TRUE(IsDisposition(id)) << id;
  }
  EXPECT_TRUE(IsTransferTarget("discipline"));
  EXPECT_TRUE(IsLifecycleState("written_off"));
  EXPECT_FALSE(IsLifecycleState("deleted"));
}

}  // namespace
}  // namespace xuncha
