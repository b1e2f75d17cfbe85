// Package kubetest runs a real kube-apiserver and etcd, with the
// ASMPvlConfig CRD installed, for integration tests of everything that talks
// to an ASM instance's API server. It uses
// sigs.k8s.io/controller-runtime/pkg/envtest with binaries that
// testdata/apiserver/build.sh builds once from the Go module proxy.
//
// One server serves a whole test package: start it from TestMain with Main,
// and call Reset at the start of each test, because ASMPvlConfig/default is
// one cluster-scoped object shared by every test.
package kubetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	"github.com/asmlink/asmlink/spec"
)

// TestCommand is the README's test command: it builds the binaries when they
// are missing and runs every test with KUBEBUILDER_ASSETS set.
const TestCommand = `KUBEBUILDER_ASSETS="$(testdata/apiserver/build.sh)" go test ./...`

// assetsVersion names the cache directory testdata/apiserver/build.sh fills.
const assetsVersion = "k8s-1.34.4-etcd-3.6.4"

// AssetsDir finds the directory holding kube-apiserver and etcd:
// $KUBEBUILDER_ASSETS when set, else the cache directory build.sh writes to
// ($ASMLINK_ASSETS_DIR, else $XDG_CACHE_HOME or ~/.cache, then
// asmlink/envtest/<version>). Its error says how to build them.
func AssetsDir() (string, error) {
	dir := os.Getenv("KUBEBUILDER_ASSETS")
	from := "KUBEBUILDER_ASSETS"
	if dir == "" {
		dir, from = os.Getenv("ASMLINK_ASSETS_DIR"), "ASMLINK_ASSETS_DIR"
	}
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("KUBEBUILDER_ASSETS is not set and there is no cache directory (%v): run the tests with %s", err, TestCommand)
		}
		dir, from = filepath.Join(cache, "asmlink", "envtest", assetsVersion), "the build cache"
	}
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		info, err := os.Stat(filepath.Join(dir, bin))
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return "", fmt.Errorf("no %s executable in %s (from %s): the integration tests need a real API server; build it and run the tests with the README's command: %s", bin, dir, from, TestCommand)
		}
	}
	return dir, nil
}

// Server is a running kube-apiserver and etcd with the ASMPvlConfig CRD.
type Server struct {
	env     *envtest.Environment
	certDir string
	// Config is a cluster-admin client configuration for the API server.
	Config *rest.Config
	// Shape is the schema of the ASMPvlConfig CRD the server serves.
	Shape Shape
}

// Shape is one plausible schema of ASM's own ASMPvlConfig CRD, which ASM
// does not publish: asmlink must lose no entry in any of them.
type Shape struct {
	// Name names the shape in test names and in $ASMLINK_CRD_SHAPE.
	Name string
	// ListMaps keeps spec.CRD's list markers (lists merged by clusterId and
	// vSwitchId); without it every list is atomic.
	ListMaps bool
	// PreserveUnknown replaces the whole schema with
	// x-kubernetes-preserve-unknown-fields: true and no structure, as many
	// vendor CRDs have.
	PreserveUnknown bool
	// StatusSubresource serves status as a subresource; without it status
	// is part of the main resource.
	StatusSubresource bool
}

// Shapes are the schemas the tests cover: (a) list-maps keyed by clusterId
// and vSwitchId, (b) a structural schema without list markers (atomic
// lists), (c) x-kubernetes-preserve-unknown-fields with no structure, each
// with and without the status subresource. The first is spec.CRD itself.
var Shapes = []Shape{
	{Name: "list-maps", ListMaps: true, StatusSubresource: true},
	{Name: "list-maps-no-status", ListMaps: true},
	{Name: "atomic", StatusSubresource: true},
	{Name: "atomic-no-status"},
	{Name: "preserve-unknown", PreserveUnknown: true, StatusSubresource: true},
	{Name: "preserve-unknown-no-status", PreserveUnknown: true},
}

// ShapeEnv names the environment variable that switches the CRD Main
// installs to another of Shapes, e.g. ASMLINK_CRD_SHAPE=atomic-no-status.
const ShapeEnv = "ASMLINK_CRD_SHAPE"

// CRD is spec.CRD changed to the shape.
func (s Shape) CRD() (*apiextensionsv1.CustomResourceDefinition, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(spec.CRD, crd); err != nil {
		return nil, fmt.Errorf("spec.CRD is not a CustomResourceDefinition: %w", err)
	}
	for i := range crd.Spec.Versions {
		v := &crd.Spec.Versions[i]
		switch {
		case s.PreserveUnknown:
			yes := true
			v.Schema.OpenAPIV3Schema = &apiextensionsv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: &yes}
		case !s.ListMaps:
			dropListMarkers(v.Schema.OpenAPIV3Schema)
		}
		if !s.StatusSubresource {
			v.Subresources = nil
		}
	}
	return crd, nil
}

// dropListMarkers removes x-kubernetes-list-type and -map-keys everywhere
// in schema, which makes every list atomic.
func dropListMarkers(schema *apiextensionsv1.JSONSchemaProps) {
	if schema == nil {
		return
	}
	schema.XListType, schema.XListMapKeys = nil, nil
	for k, p := range schema.Properties {
		dropListMarkers(&p)
		schema.Properties[k] = p
	}
	if schema.Items != nil {
		dropListMarkers(schema.Items.Schema)
	}
}

// ShapeNamed finds one of Shapes by name.
func ShapeNamed(name string) (Shape, error) {
	for _, s := range Shapes {
		if s.Name == name {
			return s, nil
		}
	}
	names := make([]string, len(Shapes))
	for i, s := range Shapes {
		names[i] = s.Name
	}
	return Shape{}, fmt.Errorf("no CRD shape %q: use one of %v", name, names)
}

// Start starts etcd and kube-apiserver on loopback and installs spec.CRD, or
// the shape $ASMLINK_CRD_SHAPE names. It fails, naming the README's test
// command, when the binaries are missing.
func Start() (*Server, error) {
	shape := Shapes[0]
	if name := os.Getenv(ShapeEnv); name != "" {
		var err error
		if shape, err = ShapeNamed(name); err != nil {
			return nil, fmt.Errorf("$%s: %w", ShapeEnv, err)
		}
	}
	return StartShape(shape)
}

// StartShape starts etcd and kube-apiserver on loopback with the CRD of
// shape installed.
func StartShape(shape Shape) (*Server, error) {
	dir, err := AssetsDir()
	if err != nil {
		return nil, err
	}
	crd, err := shape.CRD()
	if err != nil {
		return nil, err
	}
	// A fixed certificate directory keeps the serving certificate across
	// RestartAPIServer, so clients keep trusting the server.
	certDir, err := os.MkdirTemp("", "asmlink-apiserver-")
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: dir,
		CRDs:                  []*apiextensionsv1.CustomResourceDefinition{crd},
	}
	api := &envtest.APIServer{CertDir: certDir}
	// Close open watches when the server stops, as a real API server's
	// graceful shutdown does, instead of waiting for them to time out.
	api.Configure().Set("shutdown-watch-termination-grace-period", "1s")
	env.ControlPlane.APIServer = api
	env.ControlPlane.Etcd = &envtest.Etcd{}
	cfg, err := env.Start()
	if err != nil {
		_ = env.Stop()
		_ = os.RemoveAll(certDir)
		return nil, fmt.Errorf("starting kube-apiserver and etcd from %s: %w", dir, err)
	}
	srv := &Server{env: env, certDir: certDir, Config: cfg, Shape: shape}
	if err := srv.waitForOpenAPI(); err != nil {
		_ = srv.Stop()
		return nil, err
	}
	return srv, nil
}

// waitForOpenAPI waits until the API server publishes ASMPvlConfig in its
// OpenAPI v3 document, which it does a moment after the CRD is
// established, as a long-running server always has.
func (s *Server) waitForOpenAPI() error {
	dc, err := discovery.NewDiscoveryClientForConfig(s.Config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		err := dc.RESTClient().Get().AbsPath("/openapi/v3/apis", spec.Group, spec.Version).Do(ctx).Error()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("the API server did not publish %s in its OpenAPI v3 document: %v", spec.APIVersion, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops kube-apiserver and etcd and removes their files.
func (s *Server) Stop() error {
	err := s.env.Stop()
	return errors.Join(err, os.RemoveAll(s.certDir))
}

// RestartAPIServer stops kube-apiserver and starts it again on the same
// address with the same certificates. etcd keeps running, so every object
// and resourceVersion survives, as when a real API server is upgraded or
// its process crashes; open watches break.
func (s *Server) RestartAPIServer() error {
	api := s.env.ControlPlane.APIServer
	if err := api.Stop(); err != nil {
		return fmt.Errorf("stopping kube-apiserver: %w", err)
	}
	if err := api.Start(); err != nil {
		return fmt.Errorf("starting kube-apiserver again: %w", err)
	}
	return nil
}

// StopAPIServer stops kube-apiserver, leaving etcd running; StartAPIServer
// starts it again. Tests use the pair to hold the server down for a while.
func (s *Server) StopAPIServer() error { return s.env.ControlPlane.APIServer.Stop() }

// StartAPIServer starts kube-apiserver after StopAPIServer.
func (s *Server) StartAPIServer() error { return s.env.ControlPlane.APIServer.Start() }

// Kubeconfig returns a kubeconfig for a new cluster-admin user of the API
// server, as DescribeServiceMeshKubeconfig returns one for an ASM instance.
func (s *Server) Kubeconfig(user string) ([]byte, error) {
	u, err := s.env.AddUser(envtest.User{Name: user, Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, err
	}
	return u.KubeConfig()
}

// KubeconfigFor returns a kubeconfig for a new user in no group but the
// signed-in users', who may do only what RBAC bindings grant them.
func (s *Server) KubeconfigFor(user string) ([]byte, error) {
	u, err := s.env.AddUser(envtest.User{Name: user}, nil)
	if err != nil {
		return nil, err
	}
	return u.KubeConfig()
}

// gvr is the ASMPvlConfig resource.
var gvr = schema.GroupVersionResource{Group: spec.Group, Version: spec.Version, Resource: spec.Resource}

// Reset deletes ASMPvlConfig/default and waits until it is gone, so a test
// starts from an API server without it.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	dyn, err := dynamic.NewForConfig(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := dyn.Resource(gvr)
	if err := res.Delete(ctx, spec.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		t.Fatalf("deleting %s/%s: %v", spec.Kind, spec.Name, err)
	}
	for {
		_, err := res.Get(ctx, spec.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("%s/%s still exists after delete: %v", spec.Kind, spec.Name, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Main runs a test package's tests against one Server, started before and
// stopped after them; call it from TestMain. It exits with status 1, never
// skipping, when the server cannot start.
func Main(m *testing.M, server **Server) {
	s, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubetest:", err)
		os.Exit(1)
	}
	*server = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "kubetest: stopping the API server:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// WithoutASMPvlConfig uninstalls the ASMPvlConfig CRD, so the server looks
// like an API server that is not an ASM instance's, and installs it again
// when the test ends.
func (s *Server) WithoutASMPvlConfig(t testing.TB) {
	t.Helper()
	opts := envtest.CRDInstallOptions{CRDs: s.env.CRDs}
	if err := envtest.UninstallCRDs(s.Config, opts); err != nil {
		t.Fatalf("uninstalling the %s CRD: %v", spec.Kind, err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		_, err := dc.ServerResourcesForGroupVersion(spec.APIVersion)
		if apierrors.IsNotFound(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the API server still serves %s a minute after its CRD was deleted (%v)", spec.APIVersion, err)
		}
	}
	t.Cleanup(func() {
		crds := make([]*apiextensionsv1.CustomResourceDefinition, len(s.env.CRDs))
		for i, c := range s.env.CRDs {
			crds[i] = c.DeepCopy()
			crds[i].ResourceVersion = ""
		}
		if _, err := envtest.InstallCRDs(s.Config, envtest.CRDInstallOptions{CRDs: crds}); err != nil {
			t.Fatalf("installing the %s CRD again: %v", spec.Kind, err)
		}
	})
}
