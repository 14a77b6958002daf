# `make install` (docs/deploy.md): `cmake --install BUILD --prefix PREFIX`, DESTDIR honoured. It
# installs what is already built (the server here, the browser SDK by `make wasm` into web/dist/):
# `sudo make install` must not compile as root.
include(GNUInstallDirs)
set(SB_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "systemd system units, relative to the install prefix (systemd reads /usr/local/lib/systemd/system too)")
set(SB_SYSUSERS_DIR "lib/sysusers.d" CACHE STRING "sysusers.d files, relative to the install prefix")
set(SB_JANUS_BIN "/usr/bin/janus" CACHE FILEPATH "The Janus binary switchboard-janus.service runs")
set(SB_TURNSERVER_BIN "/usr/bin/turnserver" CACHE FILEPATH "The coturn binary switchboard-coturn.service runs")
set(SB_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/switchboard)

# First, before anything is copied: a clear message when the SDK was not built.
install(CODE "
if(NOT EXISTS \"${CMAKE_CURRENT_SOURCE_DIR}/web/dist/switchboard.wasm\")
  message(FATAL_ERROR \"web/dist/switchboard.wasm is missing: run `make wasm` before `make install`\")
endif()")

install(TARGETS switchboard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# What webRoot serves: the landing page, the demo page and the SDK it imports (/dist/index.js,
# which fetches switchboard.wasm next to itself), plus the SDK's types for applications.
install(FILES web/index.html DESTINATION ${SB_SHARE_DIR}/web)
install(DIRECTORY web/demo web/types DESTINATION ${SB_SHARE_DIR}/web)
install(FILES web/dist/index.js web/dist/switchboard.wasm DESTINATION ${SB_SHARE_DIR}/web/dist)

install(FILES config/switchboard.example.json DESTINATION ${SB_SHARE_DIR}/config)
install(FILES config/janus/janus.jcfg config/janus/janus.transport.websockets.jcfg
              config/janus/janus.plugin.videoroom.jcfg config/janus/README.md
        DESTINATION ${SB_SHARE_DIR}/config/janus)
install(FILES config/systemd/switchboard.sysusers.conf DESTINATION ${SB_SYSUSERS_DIR}
        RENAME switchboard.conf)
install(FILES README.md LICENSE docs/deploy.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The units and the production config name installed paths, and `cmake --install --prefix`
# chooses the prefix only at install time: they are filled in then (cmake/InstallConfigured.cmake).
install(CODE "
set(SB_SOURCE_DIR \"${CMAKE_CURRENT_SOURCE_DIR}\")
set(SB_WORK_DIR \"${CMAKE_CURRENT_BINARY_DIR}/install-configured\")
set(SB_BINDIR_REL \"${CMAKE_INSTALL_BINDIR}\")
set(SB_SHARE_DIR_REL \"${SB_SHARE_DIR}\")
set(SB_DOCDIR_REL \"${CMAKE_INSTALL_DOCDIR}\")
set(SB_SYSTEMD_UNIT_DIR \"${SB_SYSTEMD_UNIT_DIR}\")
set(SB_JANUS_BIN \"${SB_JANUS_BIN}\")
set(SB_TURNSERVER_BIN \"${SB_TURNSERVER_BIN}\")
include(\"${CMAKE_CURRENT_SOURCE_DIR}/cmake/InstallConfigured.cmake\")")
