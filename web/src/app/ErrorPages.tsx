import { useTranslation } from 'react-i18next';
import { Link, PageHeading, Text } from '../components/ui';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <Text>{t('notFound.text')}</Text>
      <Text>{t('notFound.help')}</Text>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </div>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('forbidden.title')}</PageHeading>
      <Text>{t('forbidden.text')}</Text>
      <p>
        <Link to="/">{t('forbidden.home')}</Link>
      </p>
    </div>
  );
}
