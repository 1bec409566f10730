# Ledger and report tests that need programs outside the gtest binary.

# The .xlsx export read back through its XML (Python's zipfile).
find_program(XUNCHA_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(XUNCHA_PYTHON3)
  add_test(NAME ledger_xlsx_export
    COMMAND ${XUNCHA_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/output/ledger_xlsx_check.py
            $<TARGET_FILE:xuncha_cli> ${PROJECT_SOURCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/ledger_xlsx)
endif()
