# Writes attune(1) from the CLI's own help, so the page cannot drift from the program:
# help2man turns `attune --help` into NAME, SYNOPSIS, DESCRIPTION and OPTIONS; this script adds
# a COMMANDS section with every subcommand's own `--help` (nested ones too); docs/attune.h2m
# adds EXIT STATUS, ENVIRONMENT, FILES, SECURITY and SEE ALSO; OUT.gz is the page compressed.
# Run at build time, after every relink of attune:
#   cmake -DATTUNE=... -DHELP2MAN=... -DGZIP=... -DINCLUDE=docs/attune.h2m -DVERSION=...
#         -DOUT=attune.1 -P ManPage.cmake
# help2man runs only when what the page is made of changed (every help text, the version,
# INCLUDE, this script): a fingerprint of them is kept in OUT.fingerprint. Otherwise the pages
# are only touched, so the build sees them up to date.

function(help_of out)
  execute_process(COMMAND ${ATTUNE} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "attune ${ARGN} --help failed (${rc})")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The names listed under "Subcommands:" in a CLI11 help text.
function(subcommands_in text out)
  set(names)
  string(REGEX REPLACE ".*\nSubcommands:\n" "" tail "${text}")
  if(tail STREQUAL text)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  string(REPLACE "\n" ";" lines "${tail}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  ([a-z][a-z0-9-]*) ")
      list(APPEND names "${CMAKE_MATCH_1}")
    elseif(NOT line MATCHES "^ ")
      break()
    endif()
  endforeach()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# The help text as literal roff: backslashes escaped, no line read as a request.
function(as_roff text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The COMMANDS subsection for `attune ARGN`, whose help is `text`.
function(section_for out text)
  as_roff("${text}" roff)
  string(REPLACE ";" " " name "${ARGN}")
  set(${out} ".SS \"attune ${name}\"\n.nf\n${roff}.fi\n" PARENT_SCOPE)
endfunction()

help_of(top)
subcommands_in("${top}" commands)
if(NOT commands)
  message(FATAL_ERROR "no subcommands found in `attune --help`")
endif()
set(generated "[COMMANDS]\nEach command takes the global options above as well.\n")
foreach(command IN LISTS commands)
  help_of(text ${command})
  section_for(section "${text}" ${command})
  string(APPEND generated "${section}")
  subcommands_in("${text}" nested)
  foreach(sub IN LISTS nested)
    help_of(sub_text ${command} ${sub})
    section_for(section "${sub_text}" ${command} ${sub})
    string(APPEND generated "${section}")
  endforeach()
endforeach()

file(READ "${INCLUDE}" included)
file(SHA256 "${CMAKE_CURRENT_LIST_FILE}" script_hash)
string(SHA256 fingerprint
       "${VERSION}\n${HELP2MAN}\n${script_hash}\n${included}\n${top}\n${generated}")
if(EXISTS "${OUT}" AND EXISTS "${OUT}.gz" AND EXISTS "${OUT}.fingerprint")
  file(READ "${OUT}.fingerprint" previous)
  if(previous STREQUAL fingerprint)
    file(TOUCH_NOCREATE "${OUT}" "${OUT}.gz")
    return()
  endif()
endif()

message(STATUS "Writing the man page attune(1) with help2man")
file(REMOVE "${OUT}.fingerprint")  # kept only once both pages are written
file(WRITE "${OUT}.commands.h2m" "${generated}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --section=1
          "--name=a private, end-to-end encrypted journal for couples"
          "--version-string=${VERSION}" "--include=${INCLUDE}" "--include=${OUT}.commands.h2m"
          "--output=${OUT}" ${ATTUNE}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
# -n: no name or time stamp inside, so the same sources give the same bytes.
execute_process(COMMAND ${GZIP} -9nf -k ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip failed (${rc})")
endif()
file(WRITE "${OUT}.fingerprint" "${fingerprint}")
