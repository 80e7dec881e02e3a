# The phone page (web: in the config): the HTTP transport in the daemon's poll
# loop (src/web.c, libmicrohttpd in its external-loop mode), the JSON it serves,
# the settings it keeps in the state directory, and its static files.
# It is a transport of the daemon: it goes where the daemon's code is (limberdaemon, or
# limbercore before the libraries were split).
if(TARGET limberdaemon)
  set(LIMBER_WEB_LIB limberdaemon)
else()
  set(LIMBER_WEB_LIB limbercore)
endif()
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
message(STATUS "web: libmicrohttpd ${MHD_VERSION}")
target_sources(${LIMBER_WEB_LIB} PRIVATE ${CMAKE_SOURCE_DIR}/src/web.c ${CMAKE_SOURCE_DIR}/src/web_data.c
  ${CMAKE_SOURCE_DIR}/src/web_guard.c ${CMAKE_SOURCE_DIR}/src/settings.c)
target_link_libraries(${LIMBER_WEB_LIB} PUBLIC PkgConfig::MHD)
# The page itself; Chart.js is Debian's (libjs-chart.js), served from /usr/share/javascript.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web DESTINATION ${CMAKE_INSTALL_DATADIR}/limber)
