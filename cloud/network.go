package cloud

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// vpcLimit is the largest page of DescribeVpcs and DescribeVSwitches.
const vpcLimit = 50

// VPCs lists the VPCs of the client's region (PageNumber / PageSize paging).
func (c *Client) VPCs(ctx context.Context) ([]VPC, error) {
	o := op{productVPC, "DescribeVpcs", true}
	size := c.pageSizeFor(vpcLimit)
	return numberedPages(ctx, size, cap(c.slots), func(ctx context.Context, page, size int) ([]VPC, int, int, error) {
		var resp *vpc.DescribeVpcsResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := vpc.CreateDescribeVpcsRequest()
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(size)
			resp = vpc.CreateDescribeVpcsResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, 0, 0, err
		}
		items := make([]VPC, 0, len(resp.Vpcs.Vpc))
		for _, w := range resp.Vpcs.Vpc {
			items = append(items, VPC{
				ID:             w.VpcId,
				Name:           w.VpcName,
				RegionID:       w.RegionId,
				CIDR:           w.CidrBlock,
				SecondaryCIDRs: w.SecondaryCidrBlocks.SecondaryCidrBlock,
				Status:         w.Status,
			})
		}
		return items, resp.TotalCount, resp.PageSize, nil
	})
}

// VSwitches lists the vSwitches of one VPC with their zone, CIDR and free
// IP count (PageNumber / PageSize paging).
func (c *Client) VSwitches(ctx context.Context, vpcID string) ([]VSwitch, error) {
	o := op{productVPC, "DescribeVSwitches", true}
	size := c.pageSizeFor(vpcLimit)
	return numberedPages(ctx, size, cap(c.slots), func(ctx context.Context, page, size int) ([]VSwitch, int, int, error) {
		var resp *vpc.DescribeVSwitchesResponse
		err := c.call(ctx, o, func(sc *sdk.Client) error {
			req := vpc.CreateDescribeVSwitchesRequest()
			req.VpcId = vpcID
			req.PageNumber = requests.NewInteger(page)
			req.PageSize = requests.NewInteger(size)
			resp = vpc.CreateDescribeVSwitchesResponse()
			return sc.DoAction(req, resp)
		})
		if err != nil {
			return nil, 0, 0, err
		}
		items := make([]VSwitch, 0, len(resp.VSwitches.VSwitch))
		for _, w := range resp.VSwitches.VSwitch {
			items = append(items, VSwitch{
				ID:      w.VSwitchId,
				Name:    w.VSwitchName,
				VpcID:   w.VpcId,
				ZoneID:  w.ZoneId,
				CIDR:    w.CidrBlock,
				FreeIPs: w.AvailableIpAddressCount,
				Status:  w.Status,
			})
		}
		return items, resp.TotalCount, resp.PageSize, nil
	})
}
