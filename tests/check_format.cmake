# Fails when any project source differs from what .clang-format asks for.
file(GLOB_RECURSE files
    ${SOURCE_DIR}/core/*.h ${SOURCE_DIR}/core/*.cpp
    ${SOURCE_DIR}/training/*.h ${SOURCE_DIR}/training/*.cpp
    ${SOURCE_DIR}/cli/*.h ${SOURCE_DIR}/cli/*.cpp
    ${SOURCE_DIR}/viz/*.h ${SOURCE_DIR}/viz/*.cpp
    ${SOURCE_DIR}/gui/*.h ${SOURCE_DIR}/gui/*.cpp
    ${SOURCE_DIR}/tests/*.h ${SOURCE_DIR}/tests/*.cpp
    ${SOURCE_DIR}/bench/*.h ${SOURCE_DIR}/bench/*.cpp)
execute_process(
    COMMAND ${CLANG_FORMAT} --style=file --dry-run --Werror ${files}
    WORKING_DIRECTORY ${SOURCE_DIR}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "clang-format differences (run scripts/format.sh):\n${err}")
endif()
list(LENGTH files n)
message(STATUS "clang-format: ${n} files clean")
