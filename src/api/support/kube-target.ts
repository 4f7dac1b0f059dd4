/** A cluster and namespace to deploy to (no namespace: the context's own). */
export interface KubeTarget {
  context: string;
  namespace?: string | undefined;
}
