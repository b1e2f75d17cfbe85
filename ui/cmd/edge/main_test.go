package edge

import (
	"testing"

	"github.com/asmlink/asmlink/cloud/kube/kubetest"
)

// apiServer is the package's real kube-apiserver: the ASM instance's API
// server that `asmlink edge gateway` writes IstioGateways to.
var apiServer *kubetest.Server

func TestMain(m *testing.M) { kubetest.Main(m, &apiServer) }
