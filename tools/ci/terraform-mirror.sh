#!/usr/bin/env bash
# Points terraform at an offline provider mirror when one exists (CI here has no
# registry access; /opt/tf-plugins holds hashicorp/aws 5.100.0). Prints the
# exports for `eval`. On a normal machine there is no mirror and terraform
# downloads the provider as usual. Overrides an inherited TF_CLI_CONFIG_FILE,
# which may name a file that does not exist.
set -euo pipefail
mirror="${1:-/opt/tf-plugins}"
if [ ! -d "$mirror" ]; then
  echo "# no terraform provider mirror at $mirror: terraform will download providers" >&2
  exit 0
fi
config="${TMPDIR:-/tmp}/llmops-rag-terraformrc"
cat > "$config" <<HCL
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
HCL
echo "export TF_CLI_CONFIG_FILE=$config"
echo "export LLMOPS_TF_PLUGIN_MIRROR=$mirror"
