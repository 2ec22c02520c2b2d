import type { PaperValues } from '../../../engine/reproduction/paper';
import paperJson from '../../../../resources/paper/zayas-1987.json';
import claimsJson from '../../../../resources/paper/claims.json';

/** The paper's published values and claims register, bundled with the renderer. */
export const PAPER_VALUES: PaperValues = {
  ...(paperJson as unknown as Omit<PaperValues, 'claims'>),
  claims: claimsJson.claims as unknown as PaperValues['claims'],
};
