# The bundled data (data/): every line parses as its proto message, ids and
# labels are sound, and tools/gen_data.py reproduces it byte for byte.
add_test(NAME data.check
  COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tools/check_data.py
          --protoc $<TARGET_FILE:protobuf::protoc> --regenerated
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

# The checker itself: a file of malformed findings must fail, naming each bad
# line (unknown field, broken JSON, non-integer fen, unknown enum, duplicate id).
add_test(NAME data.check_rejects_malformed
  COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tools/check_data.py
          --protoc $<TARGET_FILE:protobuf::protoc>
          --file Finding ${CMAKE_CURRENT_SOURCE_DIR}/testdata/data_check/malformed-findings.jsonl
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# (PASS_REGULAR_EXPRESSION replaces the exit-status check; the final line is
# printed only when the checker exits 1.)
set_tests_properties(data.check_rejects_malformed PROPERTIES
  PASS_REGULAR_EXPRESSION
  "jsonl:2: does not parse.*jsonl:3: not JSON.*jsonl:4: does not parse.*jsonl:5: does not parse.*jsonl:6: duplicate finding id F1.*check_data: 5 problem")
