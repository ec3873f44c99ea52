# Writes attune(1) from the CLI's own help, so the page cannot drift from the program:
# help2man turns `attune --help` into NAME, SYNOPSIS, DESCRIPTION and OPTIONS; this script adds
# a COMMANDS section with every subcommand's own `--help` (nested ones too); docs/attune.h2m
# adds EXIT STATUS, ENVIRONMENT, FILES, SECURITY and SEE ALSO. Run at build time:
#   cmake -DATTUNE=... -DHELP2MAN=... -DINCLUDE=docs/attune.h2m -DVERSION=... -DOUT=attune.1
#         -P ManPage.cmake

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

function(section_for out)
  help_of(text ${ARGN})
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
  section_for(section ${command})
  string(APPEND generated "${section}")
  help_of(text ${command})
  subcommands_in("${text}" nested)
  foreach(sub IN LISTS nested)
    section_for(section ${command} ${sub})
    string(APPEND generated "${section}")
  endforeach()
endforeach()
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
