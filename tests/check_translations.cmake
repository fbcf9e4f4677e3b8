# lupdate the GUI sources into a copy of translations/tinyseek_zh_CN.ts; any string that
# lupdate adds (a new tr() call) or that is still unfinished makes the test fail.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(ts ${WORK_DIR}/tinyseek_zh_CN.ts)
file(COPY_FILE ${SOURCE_DIR}/translations/tinyseek_zh_CN.ts ${ts})
execute_process(
    COMMAND ${LUPDATE} -no-obsolete -locations none -extensions cpp,h -I ${SOURCE_DIR}
            ${SOURCE_DIR}/gui ${SOURCE_DIR}/viz -ts ${ts}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed: ${err}")
endif()
file(READ ${ts} content)
string(REGEX MATCHALL "<message>[^<]*<source>[^<]*</source>[^<]*<translation type=\"unfinished\"" missing "${content}")
list(LENGTH missing n_missing)
if(n_missing GREATER 0)
    string(REGEX MATCHALL "<source>[^<]*</source>[^<]*<translation type=\"unfinished\"" srcs "${content}")
    message(FATAL_ERROR "${n_missing} strings lack a zh_CN translation:\n${srcs}\n"
        "Run: cmake --build build --target update_translations, then translate them.")
endif()
string(REGEX MATCHALL "<source>" all "${content}")
list(LENGTH all n_all)
message(STATUS "zh_CN: all ${n_all} strings translated")
