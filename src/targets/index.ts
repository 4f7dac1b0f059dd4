export { type ComposeOptions, type RenderedCompose, renderCompose, type SideFile } from "./compose/render.js";
export { deploymentModel } from "./deployment-model.js";
export {
  type FolderFile,
  folderFiles,
  imageOf,
  type KubeObject,
  type KubernetesRender,
  renderKubernetes,
  validateObjects,
} from "./kubernetes/index.js";
export type {
  CodebaseClaimModel,
  CodebaseModel,
  ContainerModel,
  DeploymentModel,
  Env,
  FileModel,
  OrderStep,
  ProbeModel,
  ProcessModel,
  ProviderClaimModel,
  ProviderModel,
  SecretModel,
  SecretSource,
  TaskModel,
  Value,
  ValuePart,
} from "./model.js";
export {
  AUTO_CONTAINER_PORT,
  CONTAINER_DIR,
  dnsName,
  FILES_DIR,
  providerImage,
  secretName,
} from "./names.js";
export { secretValues } from "./secret-values.js";
export { valueText } from "./value-tokens.js";
