# Ledger and report tests that need programs outside the gtest binary.

# The .xlsx export read back through its XML (Python's zipfile).
find_program(XUNCHA_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(XUNCHA_PYTHON3)
  add_test(NAME ledger_xlsx_export
    COMMAND ${XUNCHA_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/output/ledger_xlsx_check.py
            $<TARGET_FILE:xuncha_cli> ${PROJECT_SOURCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/ledger_xlsx)
endif()

# The HTML report rendered by headless Chromium: charts and Chinese headings
# in the DOM, and a screenshot kept in the build dir (report_dom/report.png).
add_test(NAME report_dom_chromium
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/output/report_dom_test.sh
          $<TARGET_FILE:xuncha_cli> ${PROJECT_SOURCE_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/report_dom)
set_tests_properties(report_dom_chromium PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
