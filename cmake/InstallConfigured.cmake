# Runs inside `cmake --install` (included by cmake/Install.cmake), where CMAKE_INSTALL_PREFIX is
# the prefix given then: fills the systemd unit templates and the production config with the
# folders files are really installed to. file(INSTALL) adds DESTDIR itself.
function(sb_full_path out rel)
    if(IS_ABSOLUTE "${rel}")
        set(${out} "${rel}" PARENT_SCOPE)
    else()
        set(${out} "${CMAKE_INSTALL_PREFIX}/${rel}" PARENT_SCOPE)
    endif()
endfunction()

sb_full_path(SB_BIN_DIR "${SB_BINDIR_REL}")
sb_full_path(SB_DOC_DIR "${SB_DOCDIR_REL}")
sb_full_path(SB_FULL_SHARE_DIR "${SB_SHARE_DIR_REL}")
sb_full_path(SB_FULL_UNIT_DIR "${SB_SYSTEMD_UNIT_DIR}")
file(MAKE_DIRECTORY "${SB_WORK_DIR}")

set(units switchboard.service switchboard-janus.service switchboard-coturn.service)
foreach(unit IN LISTS units)
    configure_file("${SB_SOURCE_DIR}/config/systemd/${unit}.in" "${SB_WORK_DIR}/${unit}" @ONLY)
    # A placeholder without a value would reach systemd as text: stop here instead.
    file(STRINGS "${SB_WORK_DIR}/${unit}" left REGEX "@[A-Z_]+@")
    if(left)
        message(FATAL_ERROR "${unit}: placeholder without a value: ${left}")
    endif()
    list(APPEND unit_files "${SB_WORK_DIR}/${unit}")
endforeach()
file(INSTALL ${unit_files} DESTINATION "${SB_FULL_UNIT_DIR}")

# The source file is written for the default prefix /usr/local; another prefix moves webRoot.
file(READ "${SB_SOURCE_DIR}/config/switchboard.production.json" production)
string(REPLACE "\"/usr/local/share/switchboard/web\"" "\"${SB_FULL_SHARE_DIR}/web\"" production
               "${production}")
file(WRITE "${SB_WORK_DIR}/switchboard.production.json" "${production}")
file(INSTALL "${SB_WORK_DIR}/switchboard.production.json" DESTINATION "${SB_FULL_SHARE_DIR}/config")
