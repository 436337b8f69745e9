import { useTranslation } from 'react-i18next';
import type { Audience, GuardianRule } from '../../types/api';
import { audiences } from '../../types/api';

export function useAudienceOptions() {
  const { t } = useTranslation();
  return audiences.map((audience: Audience) => ({ value: audience, label: t(`consent.audience.${audience}`) }));
}

export function useRuleOptions() {
  const { t } = useTranslation();
  return (['any', 'both'] as const).map((rule: GuardianRule) => ({ value: rule, label: t(`consent.rule.${rule}`) }));
}
