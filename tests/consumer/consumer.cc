// Built against the installed tree by tests/consumer.cmake: proves the
// headers, the generated schema headers, the library and its dependencies
// resolve through find_package(xuncha).
#include <iostream>

#include "xuncha/status.h"
#include "xuncha/taxonomy.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/finding.pb.h"

int main() {
  xuncha::v1::Finding finding;
  finding.set_id("F-1");
  finding.set_text("将道路修补拆成三份合同，均未招标");
  finding.mutable_amount()->set_fen(520000000);
  std::string wire;
  if (!finding.SerializeToString(&wire)) return 1;
  xuncha::v1::Finding back;
  if (!back.ParseFromString(wire) || back.text() != finding.text()) return 1;
  if (!xuncha::IsSubcategory("bidding", "split_to_evade")) return 1;
  std::cout << "consumer ok: " << xuncha::CategoryName("bidding") << "\n";
  return 0;
}
