// helm-render: renders a Helm chart like `helm template`, without the helm binary.
// Built in GOPATH mode against Debian's Go packages (no module proxy is reachable, and
// Debian's goutils ships no go.mod, so module mode with `replace` cannot resolve sprig):
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render .
// .ci/check-helm does exactly that. Sprig is imported as github.com/Masterminds/sprig
// (Debian's golang-github-masterminds-sprig-dev 3.2.3, i.e. sprig/v3).
module tollgate.local/helm-render

go 1.19
