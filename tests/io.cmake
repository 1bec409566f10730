# The progress meter lives with the CLI (src/cli/, not in the library); its
# unit test links the one source file it needs.
target_sources(xuncha_tests PRIVATE ${PROJECT_SOURCE_DIR}/src/cli/progress.cc)
