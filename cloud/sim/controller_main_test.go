package sim

import (
	"testing"

	"github.com/asmlink/asmlink/cloud/kube/kubetest"
)

// kubeSrv is the real kube-apiserver the simulated ASM controller's tests
// run against.
var kubeSrv *kubetest.Server

func TestMain(m *testing.M) { kubetest.Main(m, &kubeSrv) }
