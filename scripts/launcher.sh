#!/bin/sh
# runai-access (copied to build/runai-access by npm run build; what the npm scripts run).
# Starts Node from the V8 start-up snapshot that npm run build made (runai-access.snapshot.blob:
# the CLI already loaded and compiled) when the node on PATH is the very binary that made it,
# and otherwise runs runai-access.js, which works on any Node 20 or later. Same output either way.
# RUNAI_ACCESS_NO_SNAPSHOT=1 always takes runai-access.js.
self=$0
# The folder of a path: `.` when it names none (a link called by its bare name, found on PATH
# or run as `sh ra`, points relative to the folder it is in).
folder() {
  case $1 in
    */*) printf '%s\n' "${1%/*}" ;;
    *) printf '.\n' ;;
  esac
}
# Run as `bash ra`, a shell finds a bare name on PATH when the current folder has no such file.
case $self in
  */*) ;;
  *) [ -e "$self" ] || self=$(command -v -- "$self" 2>/dev/null) || self=$0 ;;
esac
while [ -L "$self" ]; do # npm links node_modules/.bin/runai-access here: find the real folder
  link=$(readlink -- "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(folder "$self")/$link ;;
  esac
done
here=$(folder "$self")
# A folder whose name starts with - would reach node as an option.
case $here in
  -*) here=./$here ;;
esac
if [ ! -f "$here/runai-access.js" ]; then
  echo "runai-access: $here/runai-access.js is missing: run this launcher by its path, from the package's build folder or through a link to it (npm install puts one in node_modules/.bin)" >&2
  exit 2
fi
node=$(command -v node) || {
  echo 'runai-access: node (version 20 or later) is not on PATH' >&2
  exit 127
}
# When NODE_EXTRA_CA_CERTS is set, to anything, Node 20 builds its root store as it starts, before
# any code runs (nodejs/node#23354): it parses its own bundled roots, then every certificate in the
# file: tens of milliseconds, more than synth itself (README "Speed" has the figures). These commands make no TLS connection (only doctor does), and
# tls.rootCertificates, which the certificate checks use, never holds the extra certificates: so
# they start without it. Same output either way. (node runai-access.js, the package's bin, which
# npx runs, cannot do this: Node has read the variable before any of our code runs.)
case ${1-} in
  synth | check | validate | url | init) unset NODE_EXTRA_CA_CERTS ;;
esac
# Node reads the 8 MB snapshot into memory it allocates with malloc, then copies parts of it: a
# few thousand fresh 4 kB pages, each faulted in by the kernel. glibc's malloc.hugetlb=1 asks for
# transparent huge pages for such blocks, which the kernel gives where its THP mode is madvise
# (Debian's default) or always: about 8 ms of a 75 ms synth, for 2 MB more memory. Other C
# libraries ignore the variable; a setting of the caller's own for malloc.hugetlb is left as it
# is. Not for doctor, which starts kubectl and its credential plugins with its environment.
hugepages() {
  case ${GLIBC_TUNABLES-} in
    glibc.malloc.hugetlb=* | *:glibc.malloc.hugetlb=*) ;;
    '') export GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ;;
    *) export GLIBC_TUNABLES="$GLIBC_TUNABLES:glibc.malloc.hugetlb=1" ;;
  esac
}
blob=$here/runai-access.snapshot.blob
record=$here/runai-access.snapshot.node
# The snapshot is used only when the binary that made it (its real path, in
# runai-access.snapshot.node) is the same file as this node (-ef) and still has the file time it
# had then, which npm run build gave that record (touch -r): neither newer nor older than the
# record. A package upgrade renames a new binary into its place with the package's own file time,
# older or newer; a program installed beside node (apt, npm install -g) changes nothing. And
# NODE_OPTIONS must be empty (a V8 flag in it would not match the snapshot's). Otherwise
# runai-access.js: a snapshot loads only into the Node that made it.
if [ -z "${RUNAI_ACCESS_NO_SNAPSHOT-}" ] && [ -z "${NODE_OPTIONS-}" ] && [ -f "$blob" ] &&
  IFS= read -r madeby 2>/dev/null <"$record" &&
  [ "$node" -ef "$madeby" ] && ! [ "$madeby" -nt "$record" ] && ! [ "$madeby" -ot "$record" ]; then
  [ "${1-}" = doctor ] || hugepages
  exec "$node" --snapshot-blob "$blob" -- "$@"
fi
exec "$node" "$here/runai-access.js" "$@"
