# Installing and packaging attune: the binary, its man page attune(1) (generated from the CLI's
# own help by help2man at build time), bash completion, and the systemd user units
# attune-serve.service, attune-checkin.service and attune-checkin.timer; and `cpack -G DEB` for
# a Debian package (./dev.sh package).
include(GNUInstallDirs)

option(ATTUNE_INSTALL_MAN "Generate and install the man page attune(1) (needs help2man)" ON)

install(TARGETS attune RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# ---- attune(1) ----
# Built when asked for and help2man is there; without help2man the build goes on without the page
# (one message says so), so that a checkout configures on a machine that lacks it. dev.sh installs
# it, and scripts/check_deb.sh fails a .deb without the page.
set(ATTUNE_MAN_PAGE OFF)
if(ATTUNE_INSTALL_MAN)
  find_program(HELP2MAN help2man)
  find_program(GZIP gzip REQUIRED)
  if(HELP2MAN)
    set(ATTUNE_MAN_PAGE ON)
  else()
    message(STATUS "help2man not found: the man page attune(1) is skipped "
                   "(apt install help2man to build it; -DATTUNE_INSTALL_MAN=OFF to not ask)")
  endif()
endif()
if(ATTUNE_MAN_PAGE)
  set(man_page ${CMAKE_BINARY_DIR}/man/attune.1)
  # Runs at every relink of attune, because the page is made of the binary's own --help: only
  # asking the binary tells whether that text changed (it comes from cli/ and from tables in the
  # libraries). ManPage.cmake asks it (a few milliseconds per command) and reruns help2man only
  # when the text, the version or docs/attune.h2m changed.
  add_custom_command(
    OUTPUT ${man_page} ${man_page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -DATTUNE=$<TARGET_FILE:attune> -DHELP2MAN=${HELP2MAN}
            -DGZIP=${GZIP} -DINCLUDE=${PROJECT_SOURCE_DIR}/docs/attune.h2m
            -DVERSION=${PROJECT_VERSION} -DOUT=${man_page}
            -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    DEPENDS attune ${PROJECT_SOURCE_DIR}/docs/attune.h2m ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    COMMENT "Checking the man page attune(1) against attune --help"
    VERBATIM)
  add_custom_target(attune_man ALL DEPENDS ${man_page}.gz)
  install(FILES ${man_page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

# ---- bash completion ----
install(FILES ${PROJECT_SOURCE_DIR}/packaging/attune.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME attune)

# ---- the systemd user unit ----
# systemd's own answer (pkg-config systemd) when it lies under the prefix, e.g. /usr/lib/systemd/user
# for /usr; otherwise PREFIX/lib/systemd/user, which systemd also searches for /usr/local.
set(unit_dir lib/systemd/user)
pkg_get_variable(SYSTEMD_USER_UNIT_DIR systemd systemduserunitdir)
if(SYSTEMD_USER_UNIT_DIR)
  cmake_path(IS_PREFIX CMAKE_INSTALL_PREFIX "${SYSTEMD_USER_UNIT_DIR}" NORMALIZE under_prefix)
  if(under_prefix)
    cmake_path(RELATIVE_PATH SYSTEMD_USER_UNIT_DIR BASE_DIRECTORY "${CMAKE_INSTALL_PREFIX}"
               OUTPUT_VARIABLE unit_dir)
  endif()
endif()
set(ATTUNE_SYSTEMD_USER_UNIT_DIR ${unit_dir} CACHE STRING
    "Where attune's user units go, relative to the install prefix")
# ExecStart names the installed binary, so the unit is written at install time, when the prefix
# is final (cmake --install --prefix, cpack).
set(unit_template ${PROJECT_SOURCE_DIR}/packaging/attune-serve.service.in)
set(unit_file ${CMAKE_BINARY_DIR}/packaging/attune-serve.service)
set(checkin_template ${PROJECT_SOURCE_DIR}/packaging/attune-checkin.service.in)
set(checkin_file ${CMAKE_BINARY_DIR}/packaging/attune-checkin.service)
install(CODE "
  set(ATTUNE_BINARY \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/attune\")
  if(DEFINED CPACK_PACKAGING_INSTALL_PREFIX)
    set(ATTUNE_BINARY \"\${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/attune\")
  endif()
  configure_file(\"${unit_template}\" \"${unit_file}\" @ONLY)
  configure_file(\"${checkin_template}\" \"${checkin_file}\" @ONLY)
")
# The weekly check-in reminder (issue 20): installed, never enabled (the .deb has no maintainer
# script that would enable it; `systemctl --user enable --now attune-checkin.timer` does).
install(FILES ${unit_file} ${checkin_file} ${PROJECT_SOURCE_DIR}/packaging/attune-checkin.timer
        DESTINATION ${ATTUNE_SYSTEMD_USER_UNIT_DIR})

# ---- the Debian package ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME attune)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "attune maintainers <maintainers@users.noreply.r-seed-64b82d0f.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "private, end-to-end encrypted journal for couples")
# The long description, after the summary line (one string: a CMake list would show its ';').
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "attune is a journal for couples who work through the nine steps of healing attachment\n"
  "wounds together. Each partner's journal stays on their own machine, encrypted at rest.\n"
  "Two partners pair once with a one-time code; their nodes then sync only what each\n"
  "chooses to share, over an end-to-end encrypted, mutually authenticated link.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps computes Depends from the libraries the binary links (libsodium, SQLite,
# protobuf, libstdc++, ...), with the versions this system's packages declare.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, systemd")
# attune starts its own tor when `attune tor on` asks for it (never the system's tor service);
# without it everything on the local network still works.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tor")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
include(CPack)
