package cloud

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
)

// meshWire is an ASM instance as DescribeServiceMeshes and
// DescribeServiceMeshDetail send it. The V1 SDK's struct lacks Profile, so
// the body is decoded here.
type meshWire struct {
	ServiceMeshInfo struct {
		ServiceMeshID string `json:"ServiceMeshId"`
		Name          string `json:"Name"`
		RegionID      string `json:"RegionId"`
		State         string `json:"State"`
		Version       string `json:"Version"`
		Profile       string `json:"Profile"`
		ErrorMessage  string `json:"ErrorMessage"`
	} `json:"ServiceMeshInfo"`
	Spec struct {
		Network struct {
			VpcID           string   `json:"VpcId"`
			VSwitches       []string `json:"VSwitches"`
			SecurityGroupID string   `json:"SecurityGroupId"`
		} `json:"Network"`
	} `json:"Spec"`
	Clusters  []string `json:"Clusters"`
	Endpoints struct {
		IntranetAPIServer string `json:"IntranetApiServerEndpoint"`
		PublicAPIServer   string `json:"PublicApiServerEndpoint"`
		IntranetPilot     string `json:"IntranetPilotEndpoint"`
		PublicPilot       string `json:"PublicPilotEndpoint"`
	} `json:"Endpoints"`
}

func (w meshWire) mesh() Mesh {
	i, n := w.ServiceMeshInfo, w.Spec.Network
	return Mesh{
		ID:              i.ServiceMeshID,
		Name:            i.Name,
		RegionID:        i.RegionID,
		State:           i.State,
		Version:         i.Version,
		Profile:         i.Profile,
		VpcID:           n.VpcID,
		VSwitchIDs:      n.VSwitches,
		SecurityGroupID: n.SecurityGroupID,
		ClusterIDs:      w.Clusters,
		Endpoints: MeshEndpoints{
			IntranetAPIServer: w.Endpoints.IntranetAPIServer,
			PublicAPIServer:   w.Endpoints.PublicAPIServer,
			IntranetPilot:     w.Endpoints.IntranetPilot,
			PublicPilot:       w.Endpoints.PublicPilot,
		},
		ErrorMessage: i.ErrorMessage,
	}
}

// decodeBody decodes a successful answer's JSON body into v.
func decodeBody(o op, resp responses.AcsResponse, v any) error {
	if err := json.Unmarshal(resp.GetHttpContentBytes(), v); err != nil {
		return &Error{Kind: KindUnknown, API: o.String(), Message: "the answer could not be decoded: " + err.Error(), Err: err}
	}
	return nil
}

// Meshes lists the ASM instances of the client's region.
func (c *Client) Meshes(ctx context.Context) ([]Mesh, error) {
	o := op{productMesh, "DescribeServiceMeshes", true}
	var body struct {
		ServiceMeshes []meshWire `json:"ServiceMeshes"`
	}
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		resp := servicemesh.CreateDescribeServiceMeshesResponse()
		if err := sc.DoAction(servicemesh.CreateDescribeServiceMeshesRequest(), resp); err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	if err != nil {
		return nil, err
	}
	var out []Mesh
	for _, w := range body.ServiceMeshes {
		if m := w.mesh(); m.RegionID == "" || m.RegionID == c.region {
			out = append(out, m)
		}
	}
	return out, nil
}

// Mesh describes one ASM instance: its VPC, vSwitches, state and endpoints.
// A mesh the region does not have is a KindNotFound error naming the nearest
// mesh, whatever servicemesh answered (meshCheck).
func (c *Client) Mesh(ctx context.Context, meshID string) (Mesh, error) {
	o := op{productMesh, "DescribeServiceMeshDetail", true}
	var body struct {
		ServiceMesh meshWire `json:"ServiceMesh"`
	}
	err := c.callChecked(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateDescribeServiceMeshDetailRequest()
		req.ServiceMeshId = meshID
		resp := servicemesh.CreateDescribeServiceMeshDetailResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	}, c.meshCheck(meshID))
	if err != nil {
		return Mesh{}, err
	}
	return body.ServiceMesh.mesh(), nil
}

// MeshClusters lists the clusters already added to the mesh.
func (c *Client) MeshClusters(ctx context.Context, meshID string) ([]MeshCluster, error) {
	o := op{productMesh, "DescribeClustersInServiceMesh", true}
	var clusters []servicemesh.Cluster
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateDescribeClustersInServiceMeshRequest()
		req.ServiceMeshId = meshID
		resp := servicemesh.CreateDescribeClustersInServiceMeshResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		clusters = resp.Clusters
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]MeshCluster, 0, len(clusters))
	for _, w := range clusters {
		out = append(out, MeshCluster{
			ClusterID:    w.ClusterId,
			Name:         w.Name,
			ClusterType:  w.ClusterType,
			RegionID:     w.RegionId,
			VpcID:        w.VpcId,
			State:        w.State,
			Version:      w.Version,
			ErrorMessage: w.ErrorMessage,
		})
	}
	return out, nil
}

// addableLimit is DescribeServiceMeshClusters' largest page.
const addableLimit = 100

// AddableClusters lists the clusters of the client's region that are not in
// the mesh, each with ASM's ForbiddenFlag (DescribeServiceMeshClusters,
// missing from the V1 SDK, so sent as a CommonRequest). It pages by
// Limit / Offset with NumberOfClusters.
func (c *Client) AddableClusters(ctx context.Context, meshID string) ([]AddableCluster, error) {
	return c.AddableClusterPages(ctx, meshID, nil)
}

// AddableClusterPages is AddableClusters that also hands each page to
// onPage (when not nil) as soon as it arrives, from the goroutine that read
// it, so that a caller can start what the page's clusters need before the
// last page is in (LoadInventory).
func (c *Client) AddableClusterPages(ctx context.Context, meshID string, onPage func([]AddableCluster)) ([]AddableCluster, error) {
	o := op{productMesh, "DescribeServiceMeshClusters", true}
	size := c.pageSizeFor(addableLimit)
	return numberedPages(ctx, size, cap(c.slots), func(ctx context.Context, page, size int) ([]AddableCluster, int, int, error) {
		var body struct {
			NumberOfClusters flexInt `json:"NumberOfClusters"`
			Clusters         []struct {
				ClusterID     string  `json:"ClusterId"`
				Name          string  `json:"Name"`
				RegionID      string  `json:"RegionId"`
				VpcID         string  `json:"VpcId"`
				State         string  `json:"State"`
				ServiceMeshID string  `json:"ServiceMeshId"`
				ForbiddenFlag flexInt `json:"ForbiddenFlag"`
				ForbiddenInfo string  `json:"ForbiddenInfo"`
			} `json:"Clusters"`
		}
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := requests.NewCommonRequest()
			req.Method = requests.POST
			req.Product = "servicemesh"
			req.Version = "2020-01-11"
			req.ApiName = o.action
			req.QueryParams["ServiceMeshId"] = meshID
			req.FormParams["Limit"] = strconv.Itoa(size)
			req.FormParams["Offset"] = strconv.Itoa((page - 1) * size)
			resp, err := sc.ProcessCommonRequest(req)
			if err != nil {
				return err
			}
			return decodeBody(o, resp, &body)
		})
		if err != nil {
			return nil, 0, 0, err
		}
		items := make([]AddableCluster, 0, len(body.Clusters))
		for _, w := range body.Clusters {
			items = append(items, AddableCluster{
				ClusterID:     w.ClusterID,
				Name:          w.Name,
				RegionID:      w.RegionID,
				VpcID:         w.VpcID,
				State:         w.State,
				ServiceMeshID: w.ServiceMeshID,
				ForbiddenFlag: int(w.ForbiddenFlag),
				ForbiddenInfo: w.ForbiddenInfo,
				CIDRConflicts: cidrConflicts(w.ForbiddenInfo),
			})
		}
		if onPage != nil {
			onPage(items)
		}
		return items, int(body.NumberOfClusters), 0, nil
	})
}

// MeshKubeconfig fetches the kubeconfig of the mesh's API server, for its
// private (intranet) or public address. It is held in memory only and never
// logged.
func (c *Client) MeshKubeconfig(ctx context.Context, meshID string, private bool) ([]byte, error) {
	o := op{productMesh, "DescribeServiceMeshKubeconfig", true}
	var kubeconfig []byte
	err := c.callChecked(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateDescribeServiceMeshKubeconfigRequest()
		req.ServiceMeshId = meshID
		req.PrivateIpAddress = requests.NewBoolean(private)
		resp := servicemesh.CreateDescribeServiceMeshKubeconfigResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		kubeconfig = []byte(resp.Kubeconfig)
		return nil
	}, c.meshCheck(meshID))
	if err != nil {
		return nil, err
	}
	return kubeconfig, nil
}

// AddClusterToMesh adds an ACK cluster to the mesh. A failed attempt is only
// retried when throttled, since the cluster may have been added.
func (c *Client) AddClusterToMesh(ctx context.Context, meshID, clusterID string) error {
	o := op{productMesh, "AddClusterIntoServiceMesh", false}
	return c.call(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateAddClusterIntoServiceMeshRequest()
		req.ServiceMeshId = meshID
		req.ClusterId = clusterID
		return sc.DoAction(req, servicemesh.CreateAddClusterIntoServiceMeshResponse())
	})
}

// ClustersWithoutCEN lists clusters of the mesh in other VPCs that CEN does
// not connect to the mesh's VPC (servicemesh.DescribeCens).
func (c *Client) ClustersWithoutCEN(ctx context.Context, meshID string) ([]string, error) {
	o := op{productMesh, "DescribeCens", true}
	var clusters []string
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := servicemesh.CreateDescribeCensRequest()
		req.ServiceMeshId = meshID
		resp := servicemesh.CreateDescribeCensResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		clusters = resp.Clusters
		return nil
	})
	return clusters, err
}

// cidrConflicts decodes ForbiddenInfo when it is the documented JSON list
// of clashes ([{"cluster","object","cidr"}], API reference of
// DescribeServiceMeshClusters); any other text gives none.
func cidrConflicts(info string) []CIDRConflict {
	var list []CIDRConflict
	if json.Unmarshal([]byte(info), &list) != nil {
		return nil
	}
	return slices.DeleteFunc(list, func(c CIDRConflict) bool { return c.CIDR == "" && c.Object == "" && c.Cluster == "" })
}
