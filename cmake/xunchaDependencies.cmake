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

# The ledger: SQLite (Debian: libsqlite3-dev).
if(NOT TARGET SQLite::SQLite3)
  find_dependency(SQLite3)
endif()

# Ledger exports to .xlsx: libxlsxwriter (Debian: libxlsxwriter-dev), found
# through pkg-config as it ships no CMake package.
if(NOT TARGET xuncha::xlsxwriter)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(XUNCHA_XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
  add_library(xuncha::xlsxwriter INTERFACE IMPORTED)
  set_target_properties(xuncha::xlsxwriter PROPERTIES
    INTERFACE_LINK_LIBRARIES PkgConfig::XUNCHA_XLSXWRITER)
endif()
