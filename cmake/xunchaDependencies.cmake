# Finds xuncha's dependencies, defining each target only where the parent
# project has not already provided it. Included by the build and by the
# installed xunchaConfig.cmake, so consumers resolve the same targets.

include(CMakeFindDependencyMacro)

if(NOT TARGET protobuf::libprotobuf)
  find_dependency(Protobuf)
endif()

if(NOT TARGET re2::re2)
  find_path(XUNCHA_RE2_INCLUDE_DIR re2/re2.h)
  find_library(XUNCHA_RE2_LIBRARY re2)
  if(NOT XUNCHA_RE2_INCLUDE_DIR OR NOT XUNCHA_RE2_LIBRARY)
    set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
    set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE "RE2 not found (Debian: libre2-dev)")
    message(FATAL_ERROR "RE2 not found (Debian: libre2-dev)")
  endif()
  find_package(Threads REQUIRED)
  add_library(re2::re2 UNKNOWN IMPORTED)
  set_target_properties(re2::re2 PROPERTIES
    IMPORTED_LOCATION "${XUNCHA_RE2_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${XUNCHA_RE2_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
