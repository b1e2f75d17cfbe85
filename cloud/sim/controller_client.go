package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// pvlClient is the simulated ASM controller's own Kubernetes client:
// client-go's dynamic client on ASMPvlConfig, sharing nothing with
// asmlink's cloud/kube. It reads ASMPvlConfig/default and writes its
// status with server-side apply as the controller's field manager, through
// the status subresource when the CRD has one and through the object
// itself when it has none.
type pvlClient struct {
	res     dynamic.NamespaceableResourceInterface
	raw     rest.Interface
	manager string
	// statusSub is whether the CRD serves the status subresource, as
	// discovery last said; nil before the first look.
	statusSub *bool
}

func newPvlClient(cfg *rest.Config, manager string) (*pvlClient, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.UserAgent = manager
	cfg.WarningHandler = rest.NoWarnings{}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	raw, err := rest.UnversionedRESTClientFor(dynamic.ConfigFor(cfg))
	if err != nil {
		return nil, err
	}
	return &pvlClient{res: dyn.Resource(pvlGV.WithResource(pvlResource)), raw: raw, manager: manager}, nil
}

// get reads ASMPvlConfig/default; nil, and no error, when there is none.
func (c *pvlClient) get(ctx context.Context) (*pvlConfig, error) {
	u, err := c.res.Get(ctx, pvlName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s/%s: %w", pvlKind, pvlName, err)
	}
	raw, err := json.Marshal(u.Object)
	if err != nil {
		return nil, err
	}
	cfg := &pvlConfig{}
	if err := json.Unmarshal(raw, cfg); err != nil {
		return nil, fmt.Errorf("%s/%s does not fit the guide's fields: %w", pvlKind, pvlName, err)
	}
	return cfg, nil
}

// hasStatusSubresource asks discovery, once, whether ASMPvlConfig has the
// status subresource.
func (c *pvlClient) hasStatusSubresource(ctx context.Context) (bool, error) {
	if c.statusSub != nil {
		return *c.statusSub, nil
	}
	res := c.raw.Get().AbsPath("/apis", pvlGroup, pvlVersion).Do(ctx)
	data, err := res.Raw()
	if err != nil {
		return false, fmt.Errorf("asking which %s resources the API server serves: %w", pvlGV, res.Error())
	}
	list := &metav1.APIResourceList{}
	if err := json.Unmarshal(data, list); err != nil {
		return false, fmt.Errorf("decoding which %s resources the API server serves: %w", pvlGV, err)
	}
	has := slices.ContainsFunc(list.APIResources, func(r metav1.APIResource) bool { return r.Name == pvlResource+"/status" })
	c.statusSub = &has
	return has, nil
}

// writeStatus writes st as the whole status the controller owns. The body
// always carries status as an object, never null, which an API server
// refuses. Through the object itself (no status subresource) it names the
// resourceVersion read, so a write never recreates an object deleted
// meanwhile; a conflict is retried by the caller after a fresh read.
func (c *pvlClient) writeStatus(ctx context.Context, cfg *pvlConfig, st pvlStatus) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	status := map[string]any{}
	if err := json.Unmarshal(raw, &status); err != nil {
		return err
	}
	u := &unstructured.Unstructured{Object: map[string]any{"status": status}}
	u.SetGroupVersionKind(pvlGVK)
	u.SetName(pvlName)
	sub, err := c.hasStatusSubresource(ctx)
	if err != nil {
		return err
	}
	opts := metav1.ApplyOptions{FieldManager: c.manager, Force: true}
	if sub {
		_, err = c.res.ApplyStatus(ctx, pvlName, u, opts)
	} else {
		u.SetResourceVersion(cfg.Metadata.ResourceVersion)
		_, err = c.res.Apply(ctx, pvlName, u, opts)
	}
	if apierrors.IsNotFound(err) {
		c.statusSub = nil // the CRD may have changed: ask again
	}
	if err != nil {
		return fmt.Errorf("writing the status of %s/%s: %w", pvlKind, pvlName, err)
	}
	return nil
}
