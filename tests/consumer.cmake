# Installs xuncha into a scratch prefix and builds tests/consumer against it
# with find_package(xuncha CONFIG), then runs it.
if(XUNCHA_INSTALL)
  add_test(NAME install.consumer
    COMMAND ${CMAKE_COMMAND}
      -DBUILD_DIR=${PROJECT_BINARY_DIR}
      -DSOURCE_DIR=${PROJECT_SOURCE_DIR}/tests/consumer
      -DWORK_DIR=${PROJECT_BINARY_DIR}/consumer-test
      -P ${PROJECT_SOURCE_DIR}/tests/consumer/run.cmake)
  set_tests_properties(install.consumer PROPERTIES TIMEOUT 600)
endif()
