# The ledger (SQLite) and its exports (libxlsxwriter). Both are hard
# dependencies; the targets are found in cmake/xunchaDependencies.cmake so
# that the installed package resolves them the same way.
target_link_libraries(xuncha PUBLIC SQLite::SQLite3 xuncha::xlsxwriter)
