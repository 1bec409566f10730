# The rule author's tools (include/xuncha/tools.h, src/cli/{test,eval,diff,
# coverage}.cc). Unit and golden tests are in tests/tools/*_test.cc; here:

# JUnit XML from `xuncha test --junit` parses back with Python's ElementTree.
add_test(NAME tools.junit_wellformed
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tools/junit_check.py
                 $<TARGET_FILE:xuncha_cli> ${PROJECT_SOURCE_DIR})

# The examples written in the shipped rules must pass. Registered only when
# rules/default exists at configure time (re-run cmake after adding it).
if(EXISTS "${PROJECT_SOURCE_DIR}/rules/default")
  add_test(NAME tools.default_rules_examples
           COMMAND $<TARGET_FILE:xuncha_cli> test ${PROJECT_SOURCE_DIR}/rules/default
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endif()
