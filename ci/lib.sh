# Helpers shared by the ci/ scripts; sourced, not run.

# install_missing ITEM...: installs with apt-get what is missing, in one apt-get update and one install, and touches
# nothing when nothing is missing (CI images usually have it all, and apt-get update is slow and needs the network).
# An ITEM is a Debian package, missing unless dpkg lists it as installed (a removed package whose config files remain
# counts as missing), or COMMAND=PACKAGE, missing only when COMMAND is not on the PATH (a JDK or Maven may come from
# somewhere other than Debian's packages).
install_missing() {
  local needed=() item
  for item in "$@"; do
    case "$item" in
      *=*) command -v "${item%%=*}" >/dev/null 2>&1 || needed+=("${item#*=}") ;;
      *) [ "$(dpkg-query -W -f='${Status}' "$item" 2>/dev/null)" = "install ok installed" ] || needed+=("$item") ;;
    esac
  done
  if [ ${#needed[@]} -gt 0 ]; then
    echo "ci: installing ${needed[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${needed[@]}"
  fi
}
