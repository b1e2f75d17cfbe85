package cloud

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// The SDK's endpoint maps exist before the first call, so concurrent
// calls only read them (go test -race would otherwise flag the lazy write).
func TestSDKEndpointMapsExistBeforeAnyCall(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"servicemesh": servicemesh.EndpointMap, "cs": cs.EndpointMap, "vpc": vpc.EndpointMap, "privatelink": privatelink.EndpointMap,
	} {
		if m == nil {
			t.Errorf("%s.EndpointMap is still nil: its first client would write it while other calls read it", name)
		}
	}
}
