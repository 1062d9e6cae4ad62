import { TerraformDataSource, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * The terraform address of a construct's resource or data source, as it
 * appears in the synthesized cdk.tf.json (`aws_vpc.network_vpc_4E8F0223`,
 * `data.aws_caller_identity.account`). Tests name resources through this, so
 * no address is ever copied by hand.
 */
export function addressOf(element: TerraformResource | TerraformDataSource): string {
  const local = `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  return element instanceof TerraformDataSource ? `data.${local}` : local;
}

/** Every resource and data source under a construct (a stack), in construct order. */
export function elementsOf(scope: IConstruct): (TerraformResource | TerraformDataSource)[] {
  return scope.node.findAll().filter((c): c is TerraformResource | TerraformDataSource => c instanceof TerraformResource || c instanceof TerraformDataSource);
}
