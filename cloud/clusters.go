package cloud

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
)

// clusterWire is an ACK cluster as DescribeClustersV1 and
// DescribeClusterDetail send it (snake_case). The V1 SDK's cs responses have
// no typed fields, so the body is decoded here.
type clusterWire struct {
	ClusterID       string   `json:"cluster_id"`
	Name            string   `json:"name"`
	RegionID        string   `json:"region_id"`
	ClusterType     string   `json:"cluster_type"`
	Profile         string   `json:"profile"`
	State           string   `json:"state"`
	CurrentVersion  string   `json:"current_version"`
	VpcID           string   `json:"vpc_id"`
	VSwitchIDs      []string `json:"vswitch_ids"`
	VSwitchID       string   `json:"vswitch_id"` // comma-separated, in older answers
	SecurityGroupID string   `json:"security_group_id"`
	ContainerCIDR   string   `json:"container_cidr"`
	SubnetCIDR      string   `json:"subnet_cidr"`
	ServiceCIDR     string   `json:"service_cidr"`
	ExtraSANs       []string `json:"extra_sans"`
	// MetaData is a JSON object in a string; its ExtraCertSAN lists the
	// custom certificate SANs too.
	MetaData string `json:"meta_data"`
}

// certSANs are the custom API server certificate SANs from both places ACK
// reports them, each once: extra_sans, which DescribeClusterDetail carries
// only since 2025 (cs API reference), and meta_data's ExtraCertSAN, where
// Terraform reads them (aliyun/terraform-provider-alicloud,
// the managed Kubernetes resource sets custom_san from
// metadata["ExtraCertSAN"]).
func (w clusterWire) certSANs() []string {
	sans := slices.Clone(w.ExtraSANs)
	var meta struct {
		ExtraCertSAN []string `json:"ExtraCertSAN"`
	}
	if w.MetaData != "" && json.Unmarshal([]byte(w.MetaData), &meta) == nil {
		for _, s := range meta.ExtraCertSAN {
			if !slices.Contains(sans, s) {
				sans = append(sans, s)
			}
		}
	}
	return sans
}

func (w clusterWire) cluster() Cluster {
	vsw := w.VSwitchIDs
	if len(vsw) == 0 && w.VSwitchID != "" {
		vsw = strings.Split(w.VSwitchID, ",")
	}
	return Cluster{
		ID:              w.ClusterID,
		Name:            w.Name,
		RegionID:        w.RegionID,
		ClusterType:     w.ClusterType,
		Profile:         w.Profile,
		State:           w.State,
		Version:         w.CurrentVersion,
		VpcID:           w.VpcID,
		VSwitchIDs:      vsw,
		SecurityGroupID: w.SecurityGroupID,
		PodCIDR:         firstNonEmpty(w.ContainerCIDR, w.SubnetCIDR),
		ServiceCIDR:     w.ServiceCIDR,
		ExtraSANs:       w.certSANs(),
	}
}

// clustersLimit is DescribeClustersV1's largest page.
const clustersLimit = 100

// Clusters lists the ACK clusters of every profile (Default, Edge,
// Serverless, Lingjun) in the client's region, paging by cs page_info.
func (c *Client) Clusters(ctx context.Context) ([]Cluster, error) {
	o := op{productCS, "DescribeClustersV1", true}
	size := c.pageSizeFor(clustersLimit)
	all, err := numberedPages(ctx, size, cap(c.slots), func(ctx context.Context, page, size int) ([]Cluster, int, int, error) {
		var body struct {
			Clusters []clusterWire `json:"clusters"`
			PageInfo struct {
				TotalCount flexInt `json:"total_count"`
				PageSize   flexInt `json:"page_size"`
			} `json:"page_info"`
		}
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := cs.CreateDescribeClustersV1Request()
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(size)
			req.GetQueryParams()["region_id"] = c.region
			resp := cs.CreateDescribeClustersV1Response()
			if err := sc.DoAction(req, resp); err != nil {
				return err
			}
			return decodeBody(o, resp, &body)
		})
		if err != nil {
			return nil, 0, 0, err
		}
		items := make([]Cluster, 0, len(body.Clusters))
		for _, w := range body.Clusters {
			items = append(items, w.cluster())
		}
		return items, int(body.PageInfo.TotalCount), int(body.PageInfo.PageSize), nil
	})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, cl := range all {
		if cl.RegionID == "" || cl.RegionID == c.region {
			out = append(out, cl)
		}
	}
	return out, nil
}

// Cluster describes one ACK cluster, including the custom API server
// certificate SANs (extra_sans and meta_data's ExtraCertSAN).
func (c *Client) Cluster(ctx context.Context, clusterID string) (Cluster, error) {
	o := op{productCS, "DescribeClusterDetail", true}
	var body clusterWire
	err := c.call(ctx, o, func(sc *sdk.Client) error {
		req := cs.CreateDescribeClusterDetailRequest()
		req.ClusterId = clusterID
		resp := cs.CreateDescribeClusterDetailResponse()
		if err := sc.DoAction(req, resp); err != nil {
			return err
		}
		return decodeBody(o, resp, &body)
	})
	if err != nil {
		return Cluster{}, err
	}
	return body.cluster(), nil
}

// AppendSANs adds subject alternative names to the cluster's API server
// certificate (ModifyCluster with api_server_custom_cert_sans, action
// append). The change is asynchronous: the cluster goes updating, then
// running. Appending the same names again changes nothing, so failed
// attempts are retried.
func (c *Client) AppendSANs(ctx context.Context, clusterID string, sans []string) error {
	o := op{productCS, "ModifyCluster", true}
	type certSANs struct {
		Action string   `json:"action"`
		SANs   []string `json:"subject_alternative_names"`
	}
	body, err := json.Marshal(struct {
		CertSANs certSANs `json:"api_server_custom_cert_sans"`
	}{certSANs{Action: "append", SANs: sans}})
	if err != nil {
		return err
	}
	return c.call(ctx, o, func(sc *sdk.Client) error {
		req := cs.CreateModifyClusterRequest()
		req.ClusterId = clusterID
		req.SetContent(body)
		req.SetContentType("application/json")
		return sc.DoAction(req, cs.CreateModifyClusterResponse())
	})
}
