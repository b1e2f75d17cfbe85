package sim

import (
	"net/http"
	"slices"
	"strings"
)

// vpc 2016-04-28 handlers. Lists are wrapped ({"Vpcs":{"Vpc":[...]}}) and
// page by PageNumber/PageSize (default 10, at most 50).

func (st *State) regionParam(c *call) (*Region, error) {
	r, ok := st.regions[c.region]
	if !ok {
		return nil, apiErr(http.StatusNotFound, "InvalidRegionId.NotFound", "The specified region %q does not exist.", c.region)
	}
	return r, nil
}

func describeVpcs(st *State, c *call) (J, error) {
	if _, err := st.regionParam(c); err != nil {
		return nil, err
	}
	var ids []string
	if v := c.param("VpcId"); v != "" {
		ids = strings.Split(v, ",")
	}
	var match []*VPC
	for i := range st.world.VPCs {
		v := &st.world.VPCs[i]
		if v.Region != c.region || (ids != nil && !slices.Contains(ids, v.ID)) ||
			(c.param("VpcName") != "" && c.param("VpcName") != v.Name) ||
			(c.param("IsDefault") != "" && (c.param("IsDefault") == "true") != v.IsDefault) {
			continue
		}
		match = append(match, v)
	}
	num, size, lo, hi, err := pageByNumber(c, "PageNumber", "PageSize", 10, 50, len(match))
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, v := range match[lo:hi] {
		var vsw []string
		for _, s := range v.VSwitches {
			vsw = append(vsw, s.ID)
		}
		cen := "Detached"
		for _, c := range st.world.CENs {
			if slices.Contains(c.VPCs, v.ID) {
				cen = "Attached"
			}
		}
		list = append(list, J{
			"VpcId": v.ID, "VpcName": v.Name, "RegionId": v.Region, "CidrBlock": v.CIDR, "Status": "Available",
			"IsDefault": v.IsDefault, "VRouterId": "vrt-" + strings.TrimPrefix(v.ID, "vpc-"), "CreationTime": "2024-11-05T08:21:37Z",
			"Description": "", "ResourceGroupId": "rg-acfm2pz25js4kry", "OwnerId": st.ownerID(), "CenStatus": cen,
			"Ipv6CidrBlock": "", "EnabledIpv6": false,
			"VSwitchIds":          J{"VSwitchId": nonNil(vsw)},
			"SecondaryCidrBlocks": J{"SecondaryCidrBlock": nonNil(v.SecondaryCIDRs)},
			"UserCidrs":           J{"UserCidr": []string{}},
			"NatGatewayIds":       J{"NatGatewayIds": []string{}},
			"RouterTableIds":      J{"RouterTableIds": []string{"vtb-" + strings.TrimPrefix(v.ID, "vpc-")}},
			"Tags":                J{"Tag": []J{}},
		})
	}
	return J{"TotalCount": len(match), "PageNumber": num, "PageSize": size, "Vpcs": J{"Vpc": list}}, nil
}

func describeVSwitches(st *State, c *call) (J, error) {
	if _, err := st.regionParam(c); err != nil {
		return nil, err
	}
	vpcID := c.param("VpcId")
	if vpcID != "" {
		if v, ok := st.vpcs[vpcID]; !ok || v.Region != c.region {
			return nil, apiErr(http.StatusNotFound, "InvalidVpcId.NotFound", "The specified VPC %s does not exist in region %s.", vpcID, c.region)
		}
	}
	var ids []string
	if v := c.param("VSwitchId"); v != "" {
		ids = strings.Split(v, ",")
	}
	type row struct {
		vsw *VSwitch
		vpc *VPC
	}
	var match []row
	for i := range st.world.VPCs {
		v := &st.world.VPCs[i]
		if v.Region != c.region || (vpcID != "" && v.ID != vpcID) {
			continue
		}
		for j := range v.VSwitches {
			s := &v.VSwitches[j]
			if (c.param("ZoneId") != "" && s.Zone != c.param("ZoneId")) || (ids != nil && !slices.Contains(ids, s.ID)) ||
				(c.param("VSwitchName") != "" && c.param("VSwitchName") != s.Name) {
				continue
			}
			match = append(match, row{s, v})
		}
	}
	num, size, lo, hi, err := pageByNumber(c, "PageNumber", "PageSize", 10, 50, len(match))
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, r := range match[lo:hi] {
		list = append(list, J{
			"VSwitchId": r.vsw.ID, "VSwitchName": r.vsw.Name, "VpcId": r.vpc.ID, "ZoneId": r.vsw.Zone, "CidrBlock": r.vsw.CIDR,
			"AvailableIpAddressCount": r.vsw.FreeIPs, "Status": "Available", "IsDefault": false, "CreationTime": "2024-11-05T08:23:12Z",
			"Description": "", "NetworkAclId": "", "OwnerId": st.ownerID(), "ResourceGroupId": "rg-acfm2pz25js4kry", "ShareType": "",
			"Ipv6CidrBlock": "", "EnabledIpv6": false,
			"RouteTable": J{"RouteTableId": "vtb-" + strings.TrimPrefix(r.vpc.ID, "vpc-"), "RouteTableType": "System"},
			"Tags":       J{"Tag": []J{}},
		})
	}
	return J{"TotalCount": len(match), "PageNumber": num, "PageSize": size, "VSwitches": J{"VSwitch": list}}, nil
}

func describeVpcZones(st *State, c *call) (J, error) {
	r, err := st.regionParam(c)
	if err != nil {
		return nil, err
	}
	list := []J{}
	for _, z := range r.Zones {
		list = append(list, J{"ZoneId": z.ID, "LocalName": z.LocalName, "ZoneType": "AvailabilityZone"})
	}
	return J{"Zones": J{"Zone": list}}, nil
}

// ownerID is the account ID as a number, as vpc and cbn answer it.
func (st *State) ownerID() int64 {
	var n int64
	for _, ch := range st.world.AccountID {
		if ch >= '0' && ch <= '9' {
			n = n*10 + int64(ch-'0')
		}
	}
	return n
}
