import { App as AntdApp, ConfigProvider } from 'antd';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { AppRoutes } from './App';
import { FeedbackBridge } from './feedback';
import { ANTD_LOCALES, I18nProvider, useI18n } from './i18n';
import { SessionProvider } from './session';
import './styles.css';

function Root() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={ANTD_LOCALES[lang]}
      theme={{
        token: { colorPrimary: '#c62f2f', borderRadius: 4 },
        components: { Layout: { siderBg: '#001529' } },
      }}
    >
      <AntdApp>
        <FeedbackBridge />
        <BrowserRouter>
          <SessionProvider>
            <AppRoutes />
          </SessionProvider>
        </BrowserRouter>
      </AntdApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Root />
    </I18nProvider>
  </StrictMode>,
);
